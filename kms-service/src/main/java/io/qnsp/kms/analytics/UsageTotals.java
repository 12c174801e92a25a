package io.qnsp.kms.analytics;

/** The totals of a usage query, counted as its buckets are. */
public record UsageTotals(long operations, long bytesProcessed, long errors, long uniqueKeys) {
}
