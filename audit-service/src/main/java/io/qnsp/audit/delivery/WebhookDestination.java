package io.qnsp.audit.delivery;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An HTTPS (or HTTP) endpoint that receives signed POSTs.
 *
 * @param url     the validated target
 * @param secret  the signing secret in plain text (held only in memory, sealed at rest by its owner)
 * @param headers extra headers the owner asked for
 */
public record WebhookDestination(URI url, String secret, Map<String, String> headers) implements Destination {

    /**
     * Headers the platform sets itself (lower case); an owner's headers cannot replace them, so owners should refuse
     * them when they are configured and the channel leaves them out when it sends.
     */
    public static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host", "connection",
            "expect", "upgrade", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature",
            "transfer-encoding");

    /** Whether the header, in any letter case, is one the platform sets itself. */
    public static boolean isReservedHeader(String name) {
        return name != null && RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    public WebhookDestination {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "WebhookDestination[url=" + url + ", headers=" + headers.keySet() + "]";
    }
}
