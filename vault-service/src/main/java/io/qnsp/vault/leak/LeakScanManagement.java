package io.qnsp.vault.leak;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import io.qnsp.vault.leak.source.GitLocations;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Submitting scans, and what is known of each. The scans themselves are run by {@link ScanWorker}. */
@Service
public class LeakScanManagement {

    static final int MAX_POLICIES = 20;

    private final LeakScans scans;
    private final LeakPolicies policies;
    private final LeakSettings settings;
    private final ScanWorker worker;
    private final Clock clock = Clock.systemUTC();

    LeakScanManagement(LeakScans scans, LeakPolicies policies, LeakSettings settings, ScanWorker worker) {
        this.scans = scans;
        this.policies = policies;
        this.settings = settings;
        this.worker = worker;
    }

    /** A scan request as given, each field possibly missing. */
    public record ScanInput(@Nullable List<String> targets, @Nullable List<String> repositories,
                            @Nullable List<String> organizations, boolean scopeGiven,
                            @Nullable List<String> policyIds) {
    }

    /**
     * Queues a scan; an instance with a free worker starts it after the request's transaction commits.
     *
     * @throws InvalidField       naming each offending field
     * @throws LeakPolicyNotFound when a policy named is not one of the tenant's
     */
    @Transactional
    public LeakScan submit(String tenantId, String requestedBy, ScanInput input) {
        InvalidField.Problems problems = new InvalidField.Problems();
        List<ScanTarget> targets = List.of();
        if (input.targets() == null || input.targets().isEmpty()) {
            problems.add("targets", "must list at least one of " + String.join(", ", ScanTarget.apiNames()));
        } else {
            targets = LeakPolicyManagement.targets(input.targets(), "targets", problems);
        }
        ScanScope scope = null;
        if (!input.scopeGiven()) {
            problems.add("scope", "is required");
        } else if (problems.isEmpty()) {
            scope = ScanScope.parse(targets, input.repositories(), input.organizations(), access(settings), problems);
        }
        List<UUID> policyIds = policyIds(input.policyIds(), problems);
        problems.throwIfAny();
        if (policies.findAll(tenantId, policyIds).size() != policyIds.size()) {
            throw new LeakPolicyNotFound();
        }
        Instant now = clock.instant();
        int units = scope.estimatedUnits(settings.scans().repositoriesPerOrganization());
        Duration perRepository = scans.observedTimePerRepository().orElse(settings.scans().estimatePerRepository());
        double unitsToRun = scans.unitsAhead() + units;
        Instant estimate = now.plusMillis((long) Math.ceil(unitsToRun * perRepository.toMillis()
                / settings.scans().threads()));
        LeakScan scan = new LeakScan(UUID.randomUUID(), tenantId, ScanStatus.QUEUED, targets,
                input.repositories() == null ? List.of() : input.repositories().stream().map(String::strip).toList(),
                input.organizations() == null ? List.of() : input.organizations().stream().map(String::strip).toList(),
                policyIds, requestedBy, now, units, estimate, null, null, 0, null, 0, 0, 0, null);
        scans.insert(scan);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    worker.wake();
                }
            });
        }
        return scan;
    }

    /** @throws LeakScanNotFound unless the tenant has the scan */
    @Transactional(readOnly = true)
    public LeakScan get(String tenantId, String scanId) {
        return scans.find(tenantId, PathIds.parse(scanId, LeakScanNotFound::new)).orElseThrow(LeakScanNotFound::new);
    }

    static GitLocations.Access access(LeakSettings settings) {
        return new GitLocations.Access(settings.git().localRoots(), settings.git().remoteClones(),
                settings.git().cloneHosts());
    }

    private static List<UUID> policyIds(@Nullable List<String> ids, InvalidField.Problems problems) {
        if (ids == null) {
            return List.of();
        }
        if (ids.size() > MAX_POLICIES) {
            problems.add("policyIds", "must list at most " + MAX_POLICIES + " policies");
            return List.of();
        }
        Set<UUID> checked = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null) {
                problems.add("policyIds[" + i + "]", "must be a UUID");
                continue;
            }
            UUID id = problems.uuid(ids.get(i), "policyIds[" + i + "]");
            if (id != null) {
                checked.add(id);
            }
        }
        return new ArrayList<>(checked);
    }
}
