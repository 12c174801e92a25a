package io.qnsp.kpi.idempotency;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code X-Request-Id} as an idempotency key ({@code qnsp.kpi.idempotency}).
 *
 * @param retention     how long a request id answers with its first answer (from when that answer was given)
 * @param lease         how long a request being served keeps its id to itself; past it, the request is taken to
 *                      have died with its instance and the id may be used again
 * @param sweepInterval how often expired ids are deleted
 */
@ConfigurationProperties("qnsp.kpi.idempotency")
public record IdempotencySettings(@DefaultValue("24h") Duration retention,
                                  @DefaultValue("30s") Duration lease,
                                  @DefaultValue("10m") Duration sweepInterval) {

    public IdempotencySettings {
        requirePositive(retention, "retention");
        requirePositive(lease, "lease");
        requirePositive(sweepInterval, "sweep-interval");
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("qnsp.kpi.idempotency." + name + " must be a positive duration");
        }
    }
}
