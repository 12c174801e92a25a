package io.qnsp.auth.risk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Keeps risk data no longer than its settings allow: deletes old evaluations and signals, and erases raw IP
 * addresses once {@code ip-address-retention} has passed. Works in small batches, each its own transaction, so a
 * large backlog never holds long locks; every instance may run it, the statements are idempotent.
 */
@Component
class RiskRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(RiskRetention.class);
    static final int BATCH = 5_000;

    private final RiskEvaluations evaluations;
    private final ThreatSignals signals;
    private final RiskSettings settings;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RiskRetention(RiskEvaluations evaluations, ThreatSignals signals, RiskSettings settings,
                  TransactionTemplate transactions, Optional<Clock> clock) {
        this.evaluations = evaluations;
        this.signals = signals;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::sweepSafely, settings.retentionSweepInterval());
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // the next sweep retries; the data only stays a little longer
            log.warn("Risk data retention sweep failed: {}", e.toString());
        }
    }

    /** One pass over all expired data; returns how many rows were deleted or erased. */
    long sweep() {
        Instant now = clock.instant();
        Instant evaluationsBefore = now.minus(settings.evaluationRetention());
        Instant signalsBefore = now.minus(settings.signalRetention());
        Instant addressesBefore = now.minus(settings.ipAddressRetention());
        long changed = drain(() -> evaluations.deleteBatchEvaluatedBefore(evaluationsBefore, BATCH));
        changed += drain(() -> signals.deleteBatchRecordedBefore(signalsBefore, BATCH));
        changed += drain(() -> evaluations.eraseBatchIpAddressesBefore(addressesBefore, BATCH));
        changed += drain(() -> signals.eraseBatchIpAddressesBefore(addressesBefore, BATCH));
        if (changed > 0) {
            log.info("Risk data retention: {} expired rows deleted or IP addresses erased", changed);
        }
        return changed;
    }

    private long drain(IntSupplier batch) {
        long total = 0;
        int done;
        do {
            Integer rows = transactions.execute(status -> batch.getAsInt());
            done = rows == null ? 0 : rows;
            total += done;
        } while (done == BATCH);
        return total;
    }
}
