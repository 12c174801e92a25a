package io.qnsp.audit.retention;

import io.qnsp.common.error.InvalidField;

import java.util.List;

/**
 * What a retention policy says, as its author wrote it.
 *
 * @param name            unique among the owner's policies, compared without regard to case; at most 200 characters
 * @param retentionPeriod how long covered events are kept
 * @param scope           which events the policy covers
 * @param archiveConfig   whether and where a cleanup archives what it deletes
 */
public record PolicyDefinition(String name, RetentionPeriod retentionPeriod, PolicyScope scope,
                               ArchiveConfig archiveConfig) {

    static final int MAX_NAME = 200;

    /**
     * A definition from a request's raw values, checked field by field in the order the API lists them; the first
     * broken rule is a 400 naming its field. {@code null} lists and archive settings mean "none".
     */
    public static PolicyDefinition of(String name, String retentionPeriod, List<String> eventTypes,
                                      List<String> services, Boolean archiveEnabled, String archiveDestination) {
        String checkedName = name(name);
        return new PolicyDefinition(checkedName, RetentionPeriod.parse(retentionPeriod),
                new PolicyScope(eventTypes, services),
                new ArchiveConfig(Boolean.TRUE.equals(archiveEnabled), archiveDestination));
    }

    public PolicyDefinition {
        name = name(name);
        if (retentionPeriod == null) {
            throw new InvalidField(RetentionPeriod.FIELD, "is required");
        }
        scope = scope == null ? PolicyScope.everything() : scope;
        archiveConfig = archiveConfig == null ? ArchiveConfig.off() : archiveConfig;
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidField("name", "must not be blank");
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME) {
            throw new InvalidField("name", "must be at most " + MAX_NAME + " characters");
        }
        return stripped;
    }
}
