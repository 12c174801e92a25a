package io.qnsp.auth.federation;

import io.qnsp.common.jobs.BackgroundJobs;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Generates requested reports in the background, on virtual threads, at most {@code report-concurrency} at a time.
 * A report is dispatched when its request commits. Nothing survives a crash in memory, so a sweep (at start-up and
 * every {@code report-sweep-interval}) picks up pending reports nobody is generating: those never claimed, and
 * those whose claim is older than {@code report-lease} (the instance generating them died). A report gets
 * {@code report-max-attempts} claims; then it is marked {@code failed}. A generation that throws marks its report
 * failed at once: retrying a deterministic failure would only fail again.
 */
@Component
class ReportGeneration {

    private static final Logger log = LoggerFactory.getLogger(ReportGeneration.class);

    /** How long a new report may wait for its after-commit dispatch before the sweep takes it. */
    static final Duration DISPATCH_GRACE = Duration.ofSeconds(10);
    private static final int SWEEP_BATCH = 100;
    static final String GENERATION_FAILED = "The report could not be generated because of an internal error";

    private final FederationReports reports;
    private final ReportSummaries summaries;
    private final ReportFiles files;
    private final FederationAuditSettings settings;
    private final TransactionTemplate writes;
    private final TransactionTemplate snapshot;
    private final Clock clock;
    private final BackgroundJobs jobs;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("federation-report-sweep").factory());

    ReportGeneration(FederationReports reports, ReportSummaries summaries, ReportFiles files,
                     FederationAuditSettings settings, PlatformTransactionManager transactions,
                     Optional<Clock> clock) {
        this.reports = reports;
        this.summaries = summaries;
        this.files = files;
        this.settings = settings;
        this.writes = new TransactionTemplate(transactions);
        this.snapshot = new TransactionTemplate(transactions);
        // every section of a report reads the same snapshot of the events
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
        this.clock = clock.orElse(Clock.systemUTC());
        this.jobs = new BackgroundJobs("federation-report-", settings.reportConcurrency(), this::generate);
    }

    @TransactionalEventListener
    void onRequested(ReportRequested requested) {
        submit(requested.reportId());
    }

    @EventListener(ApplicationReadyEvent.class)
    void startSweeping() {
        long interval = settings.reportSweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, 0, interval, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
        // reports interrupted here stay claimed; the next sweep after their lease generates them again
        jobs.shutdownNow();
    }

    /** Queues a report for generation on this instance, unless it is already queued or running here. */
    void submit(UUID reportId) {
        jobs.submit(reportId);
    }

    /** Claims, computes and stores one report; does nothing when another generation holds it. */
    void generate(UUID reportId) {
        Instant claimedAt = Times.now(clock);
        Boolean claimed = writes.execute(s -> reports.claim(reportId, claimedAt,
                claimedAt.minus(settings.reportLease())));
        if (!Boolean.TRUE.equals(claimed)) {
            return;
        }
        try {
            StoredReport report = reports.forGeneration(reportId).orElseThrow();
            ReportSummaries.Scope scope = new ReportSummaries.Scope(report.tenantId(), report.rangeStart(),
                    report.rangeEnd(), report.providers(), Times.now(clock));
            ReportSummary summary = snapshot.execute(s -> summaries.compute(report.reportType(), scope));
            String data = files.data(summary);
            byte[] content = files.render(summary, report.format());
            writes.executeWithoutResult(s -> reports.complete(reportId, Times.now(clock), data, content));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // stopping: leave the claim to expire so the report is generated again
            }
            log.error("Federation audit report {} could not be generated", reportId, e);
            try {
                writes.executeWithoutResult(s -> reports.fail(reportId, Times.now(clock), GENERATION_FAILED));
            } catch (RuntimeException unrecorded) {
                // the database is unreachable: the claim expires and the sweep retries
                log.warn("Could not mark report {} failed; it will be retried", reportId, unrecorded);
            }
        }
    }

    /** Finds pending reports nobody is generating: generates them again, or fails those out of attempts. */
    void sweep() {
        Instant now = Times.now(clock);
        for (StoredReport report : reports.abandoned(now.minus(DISPATCH_GRACE), now.minus(settings.reportLease()),
                SWEEP_BATCH)) {
            if (jobs.isQueuedOrRunning(report.id())) {
                continue;
            }
            if (report.attempts() >= settings.reportMaxAttempts()) {
                boolean failed = Boolean.TRUE.equals(writes.execute(s -> reports.fail(report.id(), now,
                        "The report's generation did not complete after " + report.attempts() + " attempts")));
                if (failed) {
                    log.warn("Federation audit report {} failed after {} attempts", report.id(), report.attempts());
                }
            } else {
                log.info("Resuming federation audit report {} (attempt {})", report.id(), report.attempts() + 1);
                submit(report.id());
            }
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // a failed sweep must not cancel the schedule (scheduleWithFixedDelay stops on an exception)
            log.warn("Sweeping pending federation audit reports failed; retrying in {}",
                    settings.reportSweepInterval(), e);
        }
    }
}
