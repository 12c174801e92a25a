package io.qnsp.kpi.idempotency;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Deletes request ids whose retention has passed. Safe on any number of instances: deleting is idempotent, and an
 * expired id is treated as unknown whether or not it was deleted yet.
 */
@Component
class IdempotencySweep {

    static final int BATCH = 5000;

    private final IdempotentRequests requests;
    private final Clock clock;

    IdempotencySweep(IdempotentRequests requests, Clock clock) {
        this.requests = requests;
        this.clock = clock;
    }

    /** Answers how many ids were deleted. */
    @Scheduled(fixedDelayString = "${qnsp.kpi.idempotency.sweep-interval:10m}",
            initialDelayString = "${qnsp.kpi.idempotency.sweep-interval:10m}")
    int sweep() {
        int total = 0;
        int deleted;
        do {
            deleted = requests.deleteExpired(clock.instant(), BATCH);
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
