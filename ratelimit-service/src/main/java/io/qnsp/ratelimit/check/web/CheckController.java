package io.qnsp.ratelimit.check.web;

import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.ratelimit.check.RateLimitCheck;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

@Tag(name = "Runtime check")
@RestController
class CheckController {

    /** {@code cost} defaults to 1. */
    record CheckRequest(@NotBlank @Size(max = 256) String apiKey, @Min(1) Integer cost) {
    }

    record CheckResponse(boolean allowed, long remainingTokens, long limit, long resetInSeconds) {
    }

    private final RateLimitCheck check;

    CheckController(RateLimitCheck check) {
        this.check = check;
    }

    @Operation(summary = "Spend tokens of an API key's bucket", description = "200 when admitted, 429 with "
            + "Retry-After when the bucket lacks the tokens, 401 for an unknown or disabled key.")
    @PostMapping("/v1/check")
    ResponseEntity<CheckResponse> check(@Valid @RequestBody CheckRequest request) {
        RateLimitDecision decision = check.check(request.apiKey(), request.cost() == null ? 1 : request.cost());
        long resetSeconds = ceilSeconds(decision.resetIn());
        CheckResponse body = new CheckResponse(decision.allowed(), decision.remainingTokens(), decision.limit(),
                resetSeconds);
        ResponseEntity.BodyBuilder response = ResponseEntity
                .status(decision.allowed() ? HttpStatus.OK : HttpStatus.TOO_MANY_REQUESTS)
                .header("X-RateLimit-Limit", Long.toString(decision.limit()))
                .header("X-RateLimit-Remaining", Long.toString(decision.remainingTokens()))
                .header("X-RateLimit-Reset", Long.toString(resetSeconds));
        if (!decision.allowed()) {
            response.header("Retry-After", Long.toString(Math.max(1, ceilSeconds(decision.retryAfter()))));
        }
        return response.body(body);
    }

    private static long ceilSeconds(Duration duration) {
        long millis = duration.toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
