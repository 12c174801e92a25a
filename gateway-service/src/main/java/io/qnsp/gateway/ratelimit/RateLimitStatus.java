package io.qnsp.gateway.ratelimit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The data of {@code GET /api/v1/rate-limits/status} (spec 003): the calling key's windows.
 *
 * @param limits the windows the caller's limits have; a window without a limit is left out
 */
record RateLimitStatus(RateLimitWindows limits) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RateLimitWindows(@Nullable RateLimitWindow perMinute, @Nullable RateLimitWindow perHour,
                            @Nullable RateLimitWindow perDay) {
    }

    /**
     * One window's state.
     *
     * @param limit     requests the window admits
     * @param remaining requests left in it now
     * @param reset     the Unix time (seconds) at which it is full again
     */
    record RateLimitWindow(@Schema(description = "Requests the window admits") long limit,
                  @Schema(description = "Requests left in it now") long remaining,
                  @Schema(description = "Unix time (seconds) at which it is full again") long reset) {
    }
}
