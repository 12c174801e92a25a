package io.qnsp.access.decision;

import io.qnsp.access.policy.AccessRequest;
import io.qnsp.access.policy.PrincipalPattern;
import io.qnsp.common.error.InvalidField;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The question of a check or a simulation, as JSON: principal, resource, action and context. */
public record AccessQuery(@Nullable AccessPrincipal principal, @Nullable AccessResource resource,
                          @Nullable String action, @Nullable AccessContext context) {

    static final int MAX_TEXT = 512;

    public record AccessPrincipal(@Schema(allowableValues = {"user", "service", "group"}) @Nullable String type,
                                  @Nullable String id,
                                  @Schema(description = "the groups the principal belongs to (additive); policies "
                                          + "naming group:<name> apply to their members")
                                  @Nullable List<String> groups) {
    }

    /** A resource; its attributes are what conditions test as {@code resource.<name>}. */
    public record AccessResource(@Nullable String type, @Nullable String id,
                                 @Nullable Map<String, Object> attributes) {
    }

    /** The request context; its environment is what conditions test as {@code environment.<name>}. */
    public record AccessContext(@Nullable Map<String, Object> environment,
            @Schema(description = "ISO 8601: the moment the question is about (conditions on time); now when left out")
            @Nullable String timestamp) {
    }

    /** The request the fields spell, with problems named {@code prefix + field}; {@code null} when there are any. */
    public @Nullable AccessRequest toRequest(String prefix, InvalidField.Problems collected) {
        InvalidField.Problems problems = new InvalidField.Problems();
        AccessRequest.Principal parsedPrincipal = null;
        if (principal == null) {
            problems.add(prefix + "principal", "is required");
        } else {
            String type = required(principal.type(), prefix + "principal.type", problems);
            if (type != null && !PrincipalPattern.TYPES.contains(type)) {
                problems.add(prefix + "principal.type", "must be user, service or group");
            }
            String id = required(principal.id(), prefix + "principal.id", problems);
            List<String> groups = principal.groups() == null ? List.of() : principal.groups();
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i) == null || groups.get(i).isBlank()) {
                    problems.add(prefix + "principal.groups[" + i + "]", "must not be blank");
                }
            }
            if (type != null && id != null) {
                parsedPrincipal = new AccessRequest.Principal(type, id, groups);
            }
        }
        AccessRequest.Resource parsedResource = null;
        if (resource == null) {
            problems.add(prefix + "resource", "is required");
        } else {
            String type = required(resource.type(), prefix + "resource.type", problems);
            String id = required(resource.id(), prefix + "resource.id", problems);
            if (type != null && type.indexOf(':') >= 0) {
                problems.add(prefix + "resource.type", "must not contain ':'");
            }
            if (type != null && id != null) {
                parsedResource = new AccessRequest.Resource(type, id, resource.attributes());
            }
        }
        String parsedAction = required(action, prefix + "action", problems);
        Instant timestamp = null;
        if (context != null && context.timestamp() != null) {
            try {
                timestamp = OffsetDateTime.parse(context.timestamp()).toInstant();
            } catch (DateTimeParseException e) {
                problems.add(prefix + "context.timestamp", "must be an ISO 8601 date-time with offset, e.g. "
                        + "2025-01-31T09:00:00Z");
            }
        }
        try {
            problems.throwIfAny();
        } catch (InvalidField invalid) {
            collected.addAll(invalid);
            return null;
        }
        return new AccessRequest(parsedPrincipal, parsedResource, parsedAction,
                context == null ? null : context.environment(), timestamp);
    }

    /** The request, or a 400 naming each problem. */
    public AccessRequest toRequest() {
        InvalidField.Problems problems = new InvalidField.Problems();
        AccessRequest request = toRequest("", problems);
        problems.throwIfAny();
        return request;
    }

    private static @Nullable String required(@Nullable String value, String field, InvalidField.Problems problems) {
        if (value == null || value.isBlank()) {
            problems.add(field, "is required");
            return null;
        }
        if (value.length() > MAX_TEXT) {
            problems.add(field, "must be at most " + MAX_TEXT + " characters");
            return null;
        }
        return value;
    }
}
