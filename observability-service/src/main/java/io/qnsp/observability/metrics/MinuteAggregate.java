package io.qnsp.observability.metrics;

import java.time.Instant;

/**
 * What the gateway logged of one tenant's requests in one minute.
 *
 * @param minute the minute's start (UTC, seconds zero)
 */
public record MinuteAggregate(String tenantId, Instant minute, long requests, long serverErrors, long clientErrors,
                              long rateLimited, long durationSumMs, long durationMaxMs) {

    /** A minute in which the tenant made no request. */
    public static MinuteAggregate idle(String tenantId, Instant minute) {
        return new MinuteAggregate(tenantId, minute, 0, 0, 0, 0, 0, 0);
    }
}
