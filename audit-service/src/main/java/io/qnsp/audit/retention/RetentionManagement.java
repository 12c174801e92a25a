package io.qnsp.audit.retention;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Applies retention policies: previews what a policy covers, cleans it up (archiving first when the policy says so)
 * and reports the owner's stored events and what cleanups removed.
 */
@Service
public class RetentionManagement {

    private final RetentionPolicyManagement policies;
    private final RetainedEvents events;
    private final EventArchives archives;
    private final RetentionExecutions executions;
    private final Clock clock;

    RetentionManagement(RetentionPolicyManagement policies, RetainedEvents events, EventArchives archives,
                        RetentionExecutions executions, Optional<Clock> clock) {
        this.policies = policies;
        this.events = events;
        this.archives = archives;
        this.executions = executions;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Transactional(readOnly = true)
    public RetentionPreview preview(RetentionOwner owner, String policyId) {
        RetentionPolicy policy = policies.owned(owner, policyId);
        Instant cutoff = cutoff(policy, now());
        RetainedEvents.Extent extent = events.extent(owner, policy.definition().scope(), cutoff);
        return new RetentionPreview(policy.policyId(), extent.events(), extent.oldest(), extent.newest(),
                extent.sizeBytes(), cutoff);
    }

    /**
     * Runs a policy once. The cutoff is fixed when the run starts. A dry run only counts; a real run locks the
     * covered events, writes the archive (when enabled) completely to disk, and only then deletes exactly the locked
     * events, all in one transaction: if the archive cannot be written nothing is deleted.
     */
    @Transactional
    public CleanupReport cleanup(RetentionOwner owner, String policyId, boolean dryRun) {
        RetentionPolicy policy = policies.owned(owner, policyId);
        PolicyDefinition definition = policy.definition();
        boolean archiving = definition.archiveConfig().enabled();
        Instant startedAt = now();
        Instant cutoff = cutoff(policy, startedAt);
        UUID executionId = UUID.randomUUID();
        CleanupReport report;
        List<RetainedEvents.Reclaimed> reclaimed;
        if (dryRun) {
            RetainedEvents.Extent extent = events.extent(owner, definition.scope(), cutoff);
            report = new CleanupReport(executionId, policy.policyId(), extent.events(), extent.events(),
                    archiving ? extent.events() : 0, true, extent.sizeBytes(), cutoff, null, startedAt);
            reclaimed = List.of();
        } else {
            long selected = events.select(owner, definition.scope(), cutoff);
            String archiveFile = null;
            if (archiving && selected > 0) {
                archiveFile = archives.write(owner, definition.archiveConfig().destination(), executionId,
                        events::archive);
            }
            reclaimed = events.deleteSelected();
            long deleted = reclaimed.stream().mapToLong(RetainedEvents.Reclaimed::events).sum();
            long bytes = reclaimed.stream().mapToLong(RetainedEvents.Reclaimed::bytes).sum();
            if (deleted != selected) {
                // the selected rows are locked by this transaction; a difference means the store misbehaves
                throw new IllegalStateException("retention selected " + selected + " events but deleted " + deleted);
            }
            report = new CleanupReport(executionId, policy.policyId(), selected, deleted,
                    archiveFile == null ? 0 : selected, false, bytes, cutoff, archiveFile, startedAt);
        }
        executions.record(owner, definition.name(), report, now(), reclaimed);
        return report;
    }

    @Transactional(readOnly = true)
    public RetentionMetrics metrics(RetentionOwner owner) {
        RetainedEvents.Ages ages = events.ages(owner, now());
        return new RetentionMetrics(ages.total(), ages.sizeBytes(),
                new RetentionMetrics.ByAge(ages.last7Days(), ages.last30Days(), ages.last90Days(), ages.older()),
                executions.savings(owner));
    }

    private static Instant cutoff(RetentionPolicy policy, Instant now) {
        return policy.definition().retentionPeriod().cutoff(now);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
