package io.qnsp.audit.retention;

import io.qnsp.common.error.InvalidField;

import java.util.regex.Pattern;

/**
 * Whether a cleanup archives the events it deletes, and where: {@code destination} is a relative name of letters,
 * digits, {@code -} and {@code _} in {@code /}-separated segments, resolved inside the owner's own directory under
 * {@code qnsp.audit.retention.archive-directory}. Nothing else ({@code ..}, absolute paths, dots, backslashes) is
 * accepted, so a destination can never point outside that directory.
 */
public record ArchiveConfig(boolean enabled, String destination) {

    static final String FIELD = "archiveConfig.destination";
    static final int MAX_LENGTH = 200;
    static final int MAX_SEGMENT = 100;

    private static final Pattern RELATIVE_NAME = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");

    public ArchiveConfig {
        destination = destination == null || destination.isBlank() ? null : destination.strip();
        if (enabled && destination == null) {
            throw new InvalidField(FIELD, "is required when archiving is enabled");
        }
        if (destination != null) {
            if (destination.length() > MAX_LENGTH) {
                throw new InvalidField(FIELD, "must be at most " + MAX_LENGTH + " characters");
            }
            if (!RELATIVE_NAME.matcher(destination).matches()) {
                throw new InvalidField(FIELD, "must be a relative name of letters, digits, '-' and '_' in "
                        + "'/'-separated segments (no '..', no leading '/')");
            }
            for (String segment : destination.split("/")) {
                if (segment.length() > MAX_SEGMENT) {
                    throw new InvalidField(FIELD, "must have segments of at most " + MAX_SEGMENT + " characters");
                }
            }
        }
    }

    /** No archiving. */
    public static ArchiveConfig off() {
        return new ArchiveConfig(false, null);
    }
}
