package io.qnsp.auth.apikey;

/** Requested limits per window; a window left out ({@code null}) gets the default (or keeps its value on update). */
public record RateLimitRequest(Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay) {
}
