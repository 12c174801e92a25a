package io.qnsp.ratelimit.check.web;

import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.ratelimit.check.RateLimitCheck;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

@Tag(name = "Runtime check")
@RestController
class CheckController {

    /** {@code cost} may be left out: it defaults to 1 (spec 001). */
    record CheckRequest(@NotBlank @Size(max = 256) String apiKey, @Nullable @Min(1) Integer cost) {
    }

    record CheckResponse(boolean allowed, long remainingTokens, long limit, long resetInSeconds) {
    }

    private final RateLimitCheck check;

    CheckController(RateLimitCheck check) {
        this.check = check;
    }

    @Operation(operationId = "checkRateLimit", summary = "Spend tokens of an API key's bucket",
            description = "200 when admitted, 429 with Retry-After when the bucket lacks the tokens (nothing is "
                    + "taken; the body is the check's result, allowed false), 401 for an unknown or disabled key.")
    @ApiResponse(responseCode = "200", description = "The tokens were taken",
            headers = {
                    @Header(name = "X-RateLimit-Limit", description = "The key's burst capacity",
                            schema = @Schema(type = "integer", format = "int64")),
                    @Header(name = "X-RateLimit-Remaining", description = "Whole tokens left after this decision",
                            schema = @Schema(type = "integer", format = "int64")),
                    @Header(name = "X-RateLimit-Reset", description = "Seconds until the bucket is full again",
                            schema = @Schema(type = "integer", format = "int64"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CheckResponse.class)))
    // not an error body: the denied check's result, documented as such
    @ApiResponse(responseCode = "429", description = "The bucket holds fewer than cost tokens; nothing was taken",
            headers = {
                    @Header(name = "Retry-After", description = "Seconds until cost tokens are there, at least 1",
                            required = true, schema = @Schema(type = "integer", format = "int64")),
                    @Header(name = "X-RateLimit-Limit", description = "The key's burst capacity",
                            schema = @Schema(type = "integer", format = "int64")),
                    @Header(name = "X-RateLimit-Remaining", description = "Whole tokens left",
                            schema = @Schema(type = "integer", format = "int64")),
                    @Header(name = "X-RateLimit-Reset", description = "Seconds until the bucket is full again",
                            schema = @Schema(type = "integer", format = "int64"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CheckResponse.class)))
    @FailureResponse(status = 401, description = "The API key is unknown or disabled (not told apart)")
    @FailureResponse(status = 503, description = "Redis cannot be reached and the failure mode is fail-closed")
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
