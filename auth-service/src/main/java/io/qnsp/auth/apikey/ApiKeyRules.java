package io.qnsp.auth.apikey;

import io.qnsp.common.error.InvalidField;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The rules a key's fields follow. Each check reports what is wrong to a {@link InvalidField.Problems}, so one
 * answer names every broken rule, and returns the normalized value (trimmed, defaults applied).
 */
@Component
class ApiKeyRules {

    static final int MIN_NAME = 3;
    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 1000;
    static final int MAX_METADATA_ENTRIES = 50;
    static final int MAX_METADATA_KEY = 64;
    static final int MAX_METADATA_STRING = 1000;
    static final int MAX_METADATA_ARRAY = 100;

    private final ApiKeySettings settings;
    private final JsonMapper json;

    ApiKeyRules(ApiKeySettings settings) {
        this.settings = settings;
        this.json = JsonMapper.shared();
    }

    String name(String name, boolean required, InvalidField.Problems problems) {
        if (name == null) {
            if (required) {
                problems.add("name", "is required");
            }
            return null;
        }
        String stripped = name.strip();
        int length = stripped.codePointCount(0, stripped.length());
        if (length < MIN_NAME || length > MAX_NAME) {
            problems.add("name", "must be between " + MIN_NAME + " and " + MAX_NAME + " characters");
        } else if (stripped.codePoints().anyMatch(Character::isISOControl)) {
            problems.add("name", "must not contain control characters");
        }
        return stripped;
    }

    /** The description to store: trimmed, and {@code null} for an empty one. */
    String description(String description, InvalidField.Problems problems) {
        if (description == null) {
            return null;
        }
        String stripped = description.strip();
        if (stripped.codePointCount(0, stripped.length()) > MAX_DESCRIPTION) {
            problems.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        return stripped.isEmpty() ? null : stripped;
    }

    /** The scopes, each once, in the caller's order. */
    List<String> scopes(List<String> scopes, boolean required, InvalidField.Problems problems) {
        if (scopes == null) {
            if (required) {
                problems.add("scopes", "is required");
            }
            return null;
        }
        if (scopes.isEmpty()) {
            problems.add("scopes", "must contain at least one scope");
            return List.of();
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            if (scope == null) {
                problems.add("scopes[" + i + "]", "must not be null");
            } else if (!ApiKeyScopes.KNOWN.contains(scope)) {
                unknown.add(scope);
            } else {
                distinct.add(scope);
            }
        }
        if (!unknown.isEmpty()) {
            problems.add("scopes", "contains unknown scopes " + unknown);
            problems.detail("unknownScopes", unknown);
            problems.detail("allowedScopes", ApiKeyScopes.KNOWN);
        }
        return List.copyOf(distinct);
    }

    /** The limits: requested windows where given, {@code base}'s elsewhere. */
    RateLimit rateLimit(RateLimitRequest request, RateLimit base, InvalidField.Problems problems) {
        if (request == null) {
            return base;
        }
        return new RateLimit(
                window("rateLimit.requestsPerMinute", request.requestsPerMinute(), base.requestsPerMinute(), problems),
                window("rateLimit.requestsPerHour", request.requestsPerHour(), base.requestsPerHour(), problems),
                window("rateLimit.requestsPerDay", request.requestsPerDay(), base.requestsPerDay(), problems));
    }

    RateLimit defaultRateLimit() {
        ApiKeySettings.RateLimitDefaults defaults = settings.defaultRateLimit();
        return new RateLimit(defaults.requestsPerMinute(), defaults.requestsPerHour(), defaults.requestsPerDay());
    }

    private static int window(String field, Long requested, int base, InvalidField.Problems problems) {
        if (requested == null) {
            return base;
        }
        if (requested < 1 || requested > RateLimit.MAX) {
            problems.add(field, "must be a positive integer up to " + RateLimit.MAX);
            return base;
        }
        return requested.intValue();
    }

    /** The expiry to store, in PostgreSQL's precision (microseconds) so answers show what is stored. */
    Instant expiresAt(Instant expiresAt, Instant now, InvalidField.Problems problems) {
        if (expiresAt == null) {
            return null;
        }
        Instant stored = expiresAt.truncatedTo(ChronoUnit.MICROS);
        if (!stored.isAfter(now)) {
            problems.add("expiresAt", "must be in the future");
        }
        return stored;
    }

    /** The metadata as the JSON text to store ({@code {}} for none). */
    String metadata(Map<String, Object> metadata, InvalidField.Problems problems) {
        if (metadata == null) {
            return "{}";
        }
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            problems.add("metadata", "must have at most " + MAX_METADATA_ENTRIES + " entries");
            return "{}";
        }
        boolean valid = true;
        for (Map.Entry<String, Object> entry : metadata.entrySet()) {
            String key = entry.getKey();
            if (key.isBlank() || key.length() > MAX_METADATA_KEY) {
                problems.add("metadata", "keys must be 1 to " + MAX_METADATA_KEY + " characters");
                valid = false;
                continue;
            }
            String problem = valueProblem(entry.getValue(), true);
            if (problem != null) {
                problems.add("metadata." + key, problem);
                valid = false;
            }
        }
        if (!valid) {
            return "{}";
        }
        String text = json.writeValueAsString(new LinkedHashMap<>(metadata));
        if (text.getBytes(StandardCharsets.UTF_8).length > settings.maxMetadataBytes()) {
            problems.add("metadata", "must be at most " + settings.maxMetadataBytes() + " bytes as JSON");
        }
        return text;
    }

    /** Why a metadata value is refused, or {@code null}: flat values, or arrays of them, only. */
    private static String valueProblem(Object value, boolean arrayAllowed) {
        return switch (value) {
            case null -> null;
            case String text -> text.length() > MAX_METADATA_STRING
                    ? "must be at most " + MAX_METADATA_STRING + " characters" : null;
            case Number number -> null;
            case Boolean flag -> null;
            case Collection<?> array when arrayAllowed -> {
                if (array.size() > MAX_METADATA_ARRAY) {
                    yield "must have at most " + MAX_METADATA_ARRAY + " elements";
                }
                for (Object element : array) {
                    if (valueProblem(element, false) != null) {
                        yield "must be an array of strings, numbers, booleans or nulls";
                    }
                }
                yield null;
            }
            default -> "must be a string, number, boolean, null or an array of those";
        };
    }

    /** The deprecation period of a rotation: the default when none is given. */
    Duration deprecationPeriod(Long seconds, InvalidField.Problems problems) {
        if (seconds == null) {
            return settings.defaultDeprecationPeriod();
        }
        long max = settings.maxDeprecationPeriod().toSeconds();
        if (seconds < 0 || seconds > max) {
            problems.add("deprecationPeriod", "must be between 0 and " + max + " seconds");
            return settings.defaultDeprecationPeriod();
        }
        return Duration.ofSeconds(seconds);
    }
}
