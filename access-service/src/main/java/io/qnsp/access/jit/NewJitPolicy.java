package io.qnsp.access.jit;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** A valid JIT policy creation: every field checked, all problems reported at once. */
public record NewJitPolicy(String name, @Nullable String description, List<String> resourceTypes,
                           int maxDurationMinutes, boolean requireApproval, List<String> approverRoles,
                           JitPolicy.@Nullable AutoApprove autoApprove) {

    static final int MAX_DURATION = 7 * 24 * 60;

    public static NewJitPolicy of(@Nullable String name, @Nullable String description,
                                  @Nullable List<String> resourceTypes, @Nullable Integer maxDuration,
                                  @Nullable Boolean requireApproval, @Nullable List<String> approverRoles,
                                  @Nullable String windowStart, @Nullable String windowEnd,
                                  @Nullable BigDecimal maxRiskScore, boolean windowGiven) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (name == null || name.isBlank()) {
            problems.add("name", "is required");
        } else if (name.strip().length() > 128) {
            problems.add("name", "must be at most 128 characters");
        }
        if (description != null && description.length() > 1024) {
            problems.add("description", "must be at most 1024 characters");
        }
        List<String> types = names(resourceTypes, "resourceTypes", true, problems);
        if (maxDuration == null) {
            problems.add("maxDuration", "is required (minutes)");
        } else if (maxDuration < 1 || maxDuration > MAX_DURATION) {
            problems.add("maxDuration", "must be between 1 and " + MAX_DURATION + " minutes");
        }
        if (requireApproval == null) {
            problems.add("requireApproval", "is required");
        }
        List<String> roles = names(approverRoles, "approverRoles", false, problems);
        LocalTime start = time(windowStart, "autoApproveConditions.timeWindow.start", problems);
        LocalTime end = time(windowEnd, "autoApproveConditions.timeWindow.end", problems);
        if (windowGiven && (windowStart == null || windowEnd == null)) {
            problems.add("autoApproveConditions.timeWindow", "needs both start and end (HH:mm, UTC)");
        }
        if (maxRiskScore != null && (maxRiskScore.signum() < 0 || maxRiskScore.compareTo(BigDecimal.valueOf(100)) > 0)) {
            problems.add("autoApproveConditions.maxRiskScore", "must be between 0 and 100");
        }
        problems.throwIfAny();
        JitPolicy.AutoApprove auto = start == null && maxRiskScore == null ? null
                : new JitPolicy.AutoApprove(start, end, maxRiskScore);
        return new NewJitPolicy(name.strip(), description, types, maxDuration, requireApproval, roles, auto);
    }

    static List<String> names(@Nullable List<String> values, String field, boolean required,
                              InvalidField.Problems problems) {
        if (values == null || values.isEmpty()) {
            if (required) {
                problems.add(field, "must name at least one entry");
            }
            return List.of();
        }
        if (values.size() > 50) {
            problems.add(field, "must name at most 50 entries");
            return List.of();
        }
        List<String> clean = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.isBlank() || value.length() > 256) {
                problems.add(field + "[" + i + "]", "must be 1 to 256 characters");
            } else if (!clean.contains(value.strip())) {
                clean.add(value.strip());
            }
        }
        return clean;
    }

    private static @Nullable LocalTime time(@Nullable String text, String field, InvalidField.Problems problems) {
        if (text == null) {
            return null;
        }
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(field, "must be a time of day HH:mm (UTC)");
            return null;
        }
    }
}
