package io.qnsp.kms.agility;

import io.qnsp.common.error.InvalidField;
import io.qnsp.kms.key.KeyAlgorithm;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's plan to move keys to target algorithms. Its progress is not part of it: it is computed from the keys
 * in its scope each time it is read.
 */
public record MigrationPlan(UUID planId, String tenantId, String name, @Nullable String description,
                            PlanStatus status, PlanTargets targetAlgorithms, PlanScope scope,
                            @Nullable PlanSchedule schedule, Instant createdAt, Instant updatedAt) {

    static final int MAX_NAME = 128;
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_SCOPE_ENTRIES = 1000;
    static final int MAX_PHASES = 50;
    static final int MAX_ACTIONS = 50;
    static final int MAX_TEXT = 512;

    /** The algorithms keys move to, one per category; at least one is set. */
    public record PlanTargets(
            @Schema(description = "AES-256-GCM or ML-KEM-768") @Nullable String encryption,
            @Schema(description = "ML-DSA-65") @Nullable String signing,
            @Schema(description = "ML-KEM-768") @Nullable String keyExchange) {

        Set<String> all() {
            Set<String> all = new LinkedHashSet<>();
            for (String target : new String[]{encryption, signing, keyExchange}) {
                if (target != null) {
                    all.add(target);
                }
            }
            return all;
        }
    }

    /** The keys the plan covers: those named, and every key any of whose versions used one of the key types. */
    public record PlanScope(@Schema(description = "ids of the tenant's keys") @Nullable List<String> keyIds,
                            @Schema(description = "algorithms, e.g. RSA-3072: every key that has or had a version "
                                    + "of one is in scope, also after its rotation") @Nullable List<String> keyTypes) {
    }

    public record PlanPhase(@Nullable String name,
                            @Schema(description = "ISO 8601, e.g. P30D, P2W, P1M or PT12H") @Nullable String duration,
                            @Nullable List<String> actions) {
    }

    public record PlanSchedule(@Schema(description = "ISO 8601 date or date-time; answered as a UTC date-time")
                               @Nullable String startDate,
                               @Schema(description = "consecutive, from the start date on") @Nullable List<PlanPhase> phases) {
    }

    /** The phase the plan is in now: {@code null} before the start or without phases; the last one once all have passed. */
    @Nullable String currentPhase(Instant now) {
        if (schedule == null || schedule.startDate() == null || schedule.phases() == null
                || schedule.phases().isEmpty() || now.isBefore(Instant.parse(schedule.startDate()))) {
            return null;
        }
        ZonedDateTime end = Instant.parse(schedule.startDate()).atZone(ZoneOffset.UTC);
        for (PlanPhase phase : schedule.phases()) {
            end = end.plus(amount(phase.duration()));
            if (now.isBefore(end.toInstant())) {
                return phase.name();
            }
        }
        return schedule.phases().getLast().name();
    }

    // ---- validation: every problem of a request at once, each naming its field ----

    static @Nullable String checkName(@Nullable String name, boolean required, InvalidField.Problems problems) {
        if (name == null) {
            if (required) {
                problems.add("name", "is required");
            }
            return null;
        }
        if (name.isBlank()) {
            problems.add("name", "must not be blank");
        } else if (name.strip().length() > MAX_NAME) {
            problems.add("name", "must be at most " + MAX_NAME + " characters");
        }
        return name.strip();
    }

    static void checkDescription(@Nullable String description, InvalidField.Problems problems) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            problems.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
    }

    /** The targets, each a quantum-resistant algorithm of its category. */
    static PlanTargets checkTargets(@Nullable PlanTargets targets, InvalidField.Problems problems) {
        if (targets == null || targets.all().isEmpty()) {
            problems.add("targetAlgorithms", "must name at least one of encryption, signing, keyExchange");
            return new PlanTargets(null, null, null);
        }
        checkTarget("targetAlgorithms.encryption", targets.encryption(),
                List.of(KeyAlgorithm.AES_256_GCM, KeyAlgorithm.ML_KEM_768), problems);
        checkTarget("targetAlgorithms.signing", targets.signing(), List.of(KeyAlgorithm.ML_DSA_65), problems);
        checkTarget("targetAlgorithms.keyExchange", targets.keyExchange(), List.of(KeyAlgorithm.ML_KEM_768),
                problems);
        return targets;
    }

    private static void checkTarget(String field, @Nullable String target, List<KeyAlgorithm> allowed,
                                    InvalidField.Problems problems) {
        if (target != null && allowed.stream().noneMatch(algorithm -> algorithm.apiName().equals(target))) {
            problems.add(field, "must be one of " + allowed.stream().map(KeyAlgorithm::apiName).toList()
                    + " (a quantum-resistant algorithm of its category)");
        }
    }

    /** The scope, key types checked; the key ids are checked against the tenant's keys by the caller. */
    static PlanScope checkScope(@Nullable PlanScope scope, InvalidField.Problems problems) {
        List<String> keyIds = scope == null || scope.keyIds() == null ? List.of() : scope.keyIds();
        List<String> keyTypes = scope == null || scope.keyTypes() == null ? List.of() : scope.keyTypes();
        if (keyIds.isEmpty() && keyTypes.isEmpty()) {
            problems.add("scope", "must name at least one key id or key type");
        }
        if (keyIds.size() > MAX_SCOPE_ENTRIES) {
            problems.add("scope.keyIds", "must have at most " + MAX_SCOPE_ENTRIES + " entries");
        }
        if (keyTypes.stream().anyMatch(type -> type == null || KeyAlgorithm.fromApiName(type) == null)) {
            problems.add("scope.keyTypes", "must each be one of " + KeyAlgorithm.apiNames());
        }
        if (keyIds.stream().anyMatch(id -> id == null)) {
            problems.add("scope.keyIds", "must not contain null");
        }
        return new PlanScope(keyIds.stream().distinct().toList(), keyTypes.stream().distinct().toList());
    }

    /** The schedule with its start date as a UTC date-time, or {@code null} when none was given. */
    static @Nullable PlanSchedule checkSchedule(@Nullable PlanSchedule schedule, InvalidField.Problems problems) {
        if (schedule == null) {
            return null;
        }
        String start = null;
        if (schedule.startDate() != null) {
            start = parseDate(schedule.startDate());
            if (start == null) {
                problems.add("schedule.startDate", "must be an ISO 8601 date or date-time, e.g. 2027-01-01");
            }
        }
        List<PlanPhase> phases = schedule.phases() == null ? List.of() : schedule.phases();
        if (phases.size() > MAX_PHASES) {
            problems.add("schedule.phases", "must have at most " + MAX_PHASES + " entries");
        }
        List<PlanPhase> checked = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            String at = "schedule.phases[" + i + "]";
            PlanPhase phase = phases.get(i);
            if (phase == null) {
                problems.add(at, "must not be null");
                continue;
            }
            if (phase.name() == null || phase.name().isBlank()) {
                problems.add(at + ".name", "is required");
            } else if (phase.name().length() > MAX_NAME) {
                problems.add(at + ".name", "must be at most " + MAX_NAME + " characters");
            }
            if (phase.duration() == null) {
                problems.add(at + ".duration", "is required");
            } else if (amount(phase.duration()) == null) {
                problems.add(at + ".duration", "must be a positive ISO 8601 duration, e.g. P30D, P2W, P1M or PT12H");
            }
            List<String> actions = phase.actions() == null ? List.of() : phase.actions();
            if (actions.size() > MAX_ACTIONS) {
                problems.add(at + ".actions", "must have at most " + MAX_ACTIONS + " entries");
            }
            if (actions.stream().anyMatch(action -> action == null || action.isBlank() || action.length() > MAX_TEXT)) {
                problems.add(at + ".actions", "must each be 1 to " + MAX_TEXT + " characters");
            }
            checked.add(new PlanPhase(phase.name() == null ? null : phase.name().strip(), phase.duration(), actions));
        }
        return new PlanSchedule(start, checked);
    }

    private static @Nullable String parseDate(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant().toString();
        } catch (DateTimeException notDateTime) {
            try {
                return Instant.parse(value).toString();
            } catch (DateTimeException notInstant) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
                } catch (DateTimeException notDate) {
                    return null;
                }
            }
        }
    }

    /** A positive ISO 8601 period (P1M, P2W, P30D) or duration (PT12H, P1DT2H), {@code null} otherwise. */
    static @Nullable TemporalAmount amount(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            Period period = Period.parse(value);
            return period.isNegative() || period.isZero() ? null : period;
        } catch (DateTimeException notPeriod) {
            try {
                Duration duration = Duration.parse(value);
                return duration.isNegative() || duration.isZero() ? null : duration;
            } catch (DateTimeException notDuration) {
                return null;
            }
        }
    }
}
