package io.qnsp.auth.apikey;

import org.jspecify.annotations.Nullable;

/** Requested limits per window; a window left out ({@code null}) gets the default (or keeps its value on update). */
public record RateLimitRequest(@Nullable Long requestsPerMinute, @Nullable Long requestsPerHour,
                               @Nullable Long requestsPerDay) {
}
