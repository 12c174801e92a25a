package io.qnsp.kpi.query;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * One bucket of a query's answer.
 *
 * @param start   where the bucket starts (UTC calendar boundary, or the window's start for {@code window})
 * @param value   the bucket's samples aggregated
 * @param samples how many samples the bucket holds
 * @param lower   for an averaged bucket of at least two samples, the lower end of the mean's confidence interval
 * @param upper   the upper end
 */
public record Point(Instant start, boolean startsAtMidnight, double value, long samples, @Nullable Double lower,
                    @Nullable Double upper) {
}
