package io.qnsp.cryptoinventory.deprecation.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.cryptoinventory.CryptoScopes;
import io.qnsp.cryptoinventory.deprecation.AffectedAsset;
import io.qnsp.cryptoinventory.deprecation.DeprecationManagement;
import io.qnsp.cryptoinventory.deprecation.DeprecationPolicy;
import io.qnsp.cryptoinventory.inventory.CryptoInventory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Algorithm deprecation: policies naming the algorithms a tenant retires and when, the assets of the tenant's
 * inventory they cover, and what is left to migrate.
 */
@Tag(name = "Algorithm Deprecation")
@RestController
@RequestMapping("/crypto/v1/deprecation")
class DeprecationController {

    static final int MAX_NAME = 128;
    static final int MAX_ALGORITHMS = 20;
    static final int MAX_ALGORITHM = 64;
    static final int MAX_NOTIFICATIONS = 20;

    record CreatePolicyRequest(@Nullable String name,
                               @Schema(description = "algorithms as kms-service names them (e.g. RSA-3072, EC-P256), or "
                                       + "a family covering every size (RSA, EC)") @Nullable List<String> algorithms,
                               @Schema(description = "ISO 8601 date or date-time") @Nullable String deprecationDate,
                               @Schema(description = "ISO 8601 date or date-time, not before the deprecation date")
                               @Nullable String enforcementDate,
                               @Schema(description = "the algorithm assets move to, e.g. ML-KEM-768")
                               @Nullable String migrationTarget,
                               @Schema(description = "ISO 8601 dates or date-times, or durations before the "
                                       + "deprecation date (e.g. P90D)") @Nullable List<String> notificationSchedule) {
    }

    record PolicyCreated(String policyId, String name, Instant createdAt) {
    }

    record AffectedAssets(List<AffectedAsset> assets) {
    }

    record UpcomingDeadline(String policyId, String algorithm, Instant deadline, long affectedAssets) {
    }

    record DeprecationSummary(long totalAffectedAssets, Map<String, Long> byAlgorithm,
                              List<UpcomingDeadline> upcomingDeadlines) {
    }

    private final DeprecationManagement deprecation;
    private final CryptoInventory inventory;

    DeprecationController(DeprecationManagement deprecation, CryptoInventory inventory) {
        this.deprecation = deprecation;
        this.inventory = inventory;
    }

    @Operation(summary = "Create an algorithm deprecation policy", operationId = "createDeprecationPolicy",
            description = "Needs crypto:write. The name is unique within the tenant (409 otherwise).")
    @FailureResponse(status = 409, description = "The tenant already has a policy of this name")
    @PostMapping("/policies")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = CryptoScopes.WRITE, audit = "crypto.deprecation_policy.created",
            resourceType = "deprecation_policy", resourceId = "#result.policyId")
    PolicyCreated create(Caller caller, @RequestBody CreatePolicyRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = request.name() == null ? null : request.name().strip();
        if (name == null || name.isEmpty()) {
            problems.add("name", "is required");
        } else if (name.length() > MAX_NAME) {
            problems.add("name", "must be at most " + MAX_NAME + " characters");
        }
        List<String> algorithms = new ArrayList<>();
        if (request.algorithms() == null || request.algorithms().isEmpty()) {
            problems.add("algorithms", "must name at least one algorithm");
        } else if (request.algorithms().size() > MAX_ALGORITHMS) {
            problems.add("algorithms", "must name at most " + MAX_ALGORITHMS + " algorithms");
        } else {
            LinkedHashSet<String> distinct = new LinkedHashSet<>();
            for (String algorithm : request.algorithms()) {
                if (algorithm == null || algorithm.isBlank() || algorithm.strip().length() > MAX_ALGORITHM) {
                    problems.add("algorithms", "entries must be non-empty algorithm names of at most "
                            + MAX_ALGORITHM + " characters");
                    break;
                }
                distinct.add(algorithm.strip());
            }
            algorithms.addAll(distinct);
        }
        Instant deprecationDate = instant(request.deprecationDate(), "deprecationDate", problems);
        Instant enforcementDate = instant(request.enforcementDate(), "enforcementDate", problems);
        if (deprecationDate != null && enforcementDate != null && enforcementDate.isBefore(deprecationDate)) {
            problems.add("enforcementDate", "must not be before deprecationDate");
        }
        String target = request.migrationTarget() == null || request.migrationTarget().isBlank() ? null
                : request.migrationTarget().strip();
        if (target != null && target.length() > MAX_ALGORITHM) {
            problems.add("migrationTarget", "must be at most " + MAX_ALGORITHM + " characters");
        } else if (target != null && algorithms.stream().anyMatch(target::equalsIgnoreCase)) {
            problems.add("migrationTarget", "must not be one of the deprecated algorithms");
        }
        List<String> schedule = request.notificationSchedule() == null ? List.of() : request.notificationSchedule();
        if (schedule.size() > MAX_NOTIFICATIONS) {
            problems.add("notificationSchedule", "must have at most " + MAX_NOTIFICATIONS + " entries");
        } else if (schedule.stream().anyMatch(entry -> !scheduleEntry(entry))) {
            problems.add("notificationSchedule", "entries must be ISO 8601 dates, date-times or durations "
                    + "(e.g. 2030-01-01, P90D)");
        }
        problems.throwIfAny();
        DeprecationPolicy policy = deprecation.create(tenant, new DeprecationManagement.NewPolicy(name, algorithms,
                deprecationDate, enforcementDate, target, schedule.stream().map(String::strip).toList()));
        return new PolicyCreated(policy.policyId().toString(), policy.name(), policy.createdAt());
    }

    @Operation(summary = "List the assets deprecation policies cover", operationId = "listAffectedAssets",
            description = "Computed from the tenant's inventory when asked: one row per policy and asset, including "
                    + "assets already rotated off the algorithm (completed). Needs crypto:read and kms:read.")
    @GetMapping("/affected-assets")
    @RequiredControls(scopes = {CryptoScopes.READ, CryptoScopes.KMS_READ},
            audit = "crypto.deprecation.affected_assets.read")
    AffectedAssets affectedAssets(Caller caller) {
        return new AffectedAssets(deprecation.affectedAssets(TenantRequired.tenantOf(caller), inventory.take(caller)));
    }

    @Operation(summary = "Get the deprecation summary", operationId = "getDeprecationSummary",
            description = "Assets still to migrate (each counted once), per algorithm, and each policy entry's next "
                    + "deadline still ahead, soonest first. Needs crypto:read and kms:read.")
    @GetMapping("/summary")
    @RequiredControls(scopes = {CryptoScopes.READ, CryptoScopes.KMS_READ}, audit = "crypto.deprecation.summary.read")
    DeprecationSummary summary(Caller caller) {
        DeprecationManagement.Summary summary = deprecation.summary(TenantRequired.tenantOf(caller),
                inventory.take(caller));
        return new DeprecationSummary(summary.totalAffectedAssets(), summary.byAlgorithm(),
                summary.upcomingDeadlines().stream().map(d -> new UpcomingDeadline(d.policyId(), d.algorithm(),
                        d.deadline(), d.affectedAssets())).toList());
    }

    private static @Nullable Instant instant(@Nullable String text, String field, InvalidField.Problems problems) {
        if (text == null || text.isBlank()) {
            problems.add(field, "is required");
            return null;
        }
        try {
            return text.strip().length() == 10 ? LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeException e) {
            problems.add(field, "must be an ISO 8601 date or date-time with an offset (e.g. 2030-01-01 or "
                    + "2030-01-01T00:00:00Z)");
            return null;
        }
    }

    private static boolean scheduleEntry(@Nullable String entry) {
        if (entry == null || entry.isBlank()) {
            return false;
        }
        String e = entry.strip();
        try {
            if (e.startsWith("P") && e.contains("T")) {
                return !Duration.parse(e).isNegative();
            }
            if (e.startsWith("P")) {
                return !Period.parse(e).isNegative();
            }
            if (e.length() == 10) {
                LocalDate.parse(e);
            } else {
                OffsetDateTime.parse(e);
            }
            return true;
        } catch (DateTimeException ex) {
            return false;
        }
    }
}
