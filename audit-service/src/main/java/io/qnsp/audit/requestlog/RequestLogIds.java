package io.qnsp.audit.requestlog;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The API's request-log ids: {@code req_} followed by the stored event id as 32 lowercase hex digits. */
final class RequestLogIds {

    private static final String PREFIX = "req_";
    private static final Pattern FORMAT = Pattern.compile("req_[0-9a-f]{32}");

    private RequestLogIds() {
    }

    static String format(UUID eventId) {
        return PREFIX + eventId.toString().replace("-", "");
    }

    /** The event id, or empty when the text is no request-log id at all (answered as not found). */
    static Optional<UUID> parse(String id) {
        if (id == null || !FORMAT.matcher(id).matches()) {
            return Optional.empty();
        }
        String hex = id.substring(PREFIX.length());
        return Optional.of(new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16)));
    }
}
