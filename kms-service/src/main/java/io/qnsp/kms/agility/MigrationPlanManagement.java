package io.qnsp.kms.agility;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import io.qnsp.kms.key.KeyManagement.KeyDetails;
import io.qnsp.kms.key.KeyManagement;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Migration plans: creation as a draft, status changes along {@link PlanStatus}'s transitions (under the plan's row
 * lock), and their progress, computed from the keys in scope each time a plan is read.
 */
@Service
public class MigrationPlanManagement {

    private final MigrationPlans plans;
    private final KeyManagement keys;
    private final Clock clock = Clock.systemUTC();

    MigrationPlanManagement(MigrationPlans plans, KeyManagement keys) {
        this.plans = plans;
        this.keys = keys;
    }

    /**
     * @param keysTotal    the keys in scope that still exist
     * @param keysMigrated those whose current version uses one of the plan's target algorithms
     */
    public record PlanProgress(long keysTotal, long keysMigrated, @Nullable String currentPhase) {

        /** keysMigrated / keysTotal, 0 to 100 with one decimal; 100 when no key is in scope. */
        public double percent() {
            return keysTotal == 0 ? 100 : CryptoAgility.percent(keysMigrated, keysTotal);
        }
    }

    public record PlanDetails(MigrationPlan plan, PlanProgress progress) {
    }

    @Transactional
    public MigrationPlan create(String tenantId, @Nullable String name, @Nullable String description,
                                MigrationPlan.@Nullable PlanTargets targets, MigrationPlan.@Nullable PlanScope scope,
                                MigrationPlan.@Nullable PlanSchedule schedule) {
        InvalidField.Problems problems = new InvalidField.Problems();
        String checkedName = MigrationPlan.checkName(name, true, problems);
        MigrationPlan.checkDescription(description, problems);
        MigrationPlan.PlanTargets checkedTargets = MigrationPlan.checkTargets(targets, problems);
        MigrationPlan.PlanScope checkedScope = MigrationPlan.checkScope(scope, problems);
        MigrationPlan.PlanSchedule checkedSchedule = MigrationPlan.checkSchedule(schedule, problems);
        List<String> keyIds = List.of();
        if (problems.isEmpty()) {
            keyIds = tenantKeyIds(tenantId, checkedScope.keyIds(), problems);
        }
        problems.throwIfAny();
        Instant now = now();
        MigrationPlan plan = new MigrationPlan(UUID.randomUUID(), tenantId, checkedName, description,
                PlanStatus.DRAFT, checkedTargets, new MigrationPlan.PlanScope(keyIds, checkedScope.keyTypes()),
                checkedSchedule, now, now);
        plans.insert(plan);
        return plan;
    }

    /** The tenant's plans with their progress, newest first. */
    public List<PlanDetails> list(String tenantId) {
        List<KeyDetails> inventory = keys.inventoryWithVersions(tenantId);
        Instant now = clock.instant();
        return plans.all(tenantId).stream().map(plan -> new PlanDetails(plan, progress(plan, inventory, now)))
                .toList();
    }

    public PlanDetails get(String tenantId, String planId) {
        MigrationPlan plan = plans.find(tenantId, PathIds.parse(planId, MigrationPlanNotFound::new)).orElseThrow(MigrationPlanNotFound::new);
        return new PlanDetails(plan, progress(plan, keys.inventoryWithVersions(tenantId), clock.instant()));
    }

    /**
     * Changes what is given (a {@code null} leaves it as it is).
     *
     * @throws PlanChangeRefused for a transition the plan's status does not allow, a change to a closed plan, or
     *                           a completion while keys in scope are not migrated
     */
    @Transactional
    public MigrationPlan update(String tenantId, String planId, @Nullable String name, @Nullable String description,
                                @Nullable String status, MigrationPlan.@Nullable PlanSchedule schedule) {
        InvalidField.Problems problems = new InvalidField.Problems();
        String checkedName = MigrationPlan.checkName(name, false, problems);
        MigrationPlan.checkDescription(description, problems);
        PlanStatus next = null;
        if (status != null) {
            next = PlanStatus.fromApiName(status);
            if (next == null) {
                problems.add("status", "must be one of " + PlanStatus.apiNames());
            }
        }
        MigrationPlan.PlanSchedule checkedSchedule = MigrationPlan.checkSchedule(schedule, problems);
        problems.throwIfAny();

        MigrationPlan plan = plans.findForUpdate(tenantId, PathIds.parse(planId, MigrationPlanNotFound::new)).orElseThrow(MigrationPlanNotFound::new);
        boolean edits = name != null || description != null || schedule != null;
        if (next == null && !edits) {
            return plan;
        }
        if (next != null && !plan.status().next().contains(next)) {
            throw PlanChangeRefused.transition(plan.status(), next);
        }
        if (plan.status().closed()) {
            throw PlanChangeRefused.closed(plan.status());
        }
        if (next == PlanStatus.COMPLETED) {
            PlanProgress progress = progress(plan, keys.inventoryWithVersions(tenantId), clock.instant());
            if (progress.keysMigrated() < progress.keysTotal()) {
                throw PlanChangeRefused.unfinished(plan.status(), progress.keysMigrated(), progress.keysTotal());
            }
        }
        Instant now = now();
        MigrationPlan changed = new MigrationPlan(plan.planId(), plan.tenantId(),
                checkedName != null ? checkedName : plan.name(),
                description != null ? description : plan.description(), next != null ? next : plan.status(),
                plan.targetAlgorithms(), plan.scope(), schedule != null ? checkedSchedule : plan.schedule(),
                plan.createdAt(), now);
        plans.update(changed);
        if (next != null) {
            plans.recordTransition(plan.planId(), plan.status(), next, now);
        }
        return changed;
    }

    /** The keys in the plan's scope, and how many of them now use a target algorithm. */
    static PlanProgress progress(MigrationPlan plan, List<KeyDetails> inventory, Instant now) {
        Set<String> keyIds = Set.copyOf(plan.scope().keyIds());
        Set<String> keyTypes = Set.copyOf(plan.scope().keyTypes());
        Set<String> targets = plan.targetAlgorithms().all();
        List<KeyDetails> inScope = inventory.stream().filter(details ->
                keyIds.contains(details.key().keyId().toString()) || details.versions().stream()
                        .anyMatch(version -> keyTypes.contains(version.algorithm().apiName()))).toList();
        long migrated = inScope.stream().filter(details -> targets.contains(details.key().algorithm().apiName()))
                .count();
        String phase = plan.status() == PlanStatus.ACTIVE || plan.status() == PlanStatus.PAUSED
                ? plan.currentPhase(now) : null;
        return new PlanProgress(inScope.size(), migrated, phase);
    }

    /** The ids as the tenant's keys spell them; an id naming no key of the tenant is a problem of the field. */
    private List<String> tenantKeyIds(String tenantId, List<String> requested, InvalidField.Problems problems) {
        if (requested.isEmpty()) {
            return List.of();
        }
        Set<String> existing = keys.inventory(tenantId).stream().map(key -> key.keyId().toString())
                .collect(Collectors.toSet());
        List<String> normalized = requested.stream().map(id -> {
            try {
                return UUID.fromString(id).toString();
            } catch (IllegalArgumentException e) {
                return id;
            }
        }).distinct().toList();
        List<String> unknown = normalized.stream().filter(id -> !existing.contains(id)).toList();
        if (!unknown.isEmpty()) {
            problems.add("scope.keyIds", "names no key of the tenant: " + unknown);
            problems.detail("unknownKeyIds", unknown);
        }
        return normalized;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
