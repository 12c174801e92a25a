package io.qnsp.auth.apikey;

/**
 * A key's request limits per window, as the gateway enforces them.
 *
 * @param requestsPerMinute requests allowed per minute
 * @param requestsPerHour   requests allowed per hour
 * @param requestsPerDay    requests allowed per day
 */
public record RateLimit(int requestsPerMinute, int requestsPerHour, int requestsPerDay) {

    /** The largest limit of any window. */
    public static final int MAX = 1_000_000_000;
}
