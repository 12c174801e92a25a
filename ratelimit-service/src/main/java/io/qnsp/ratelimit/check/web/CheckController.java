package io.qnsp.ratelimit.check.web;

import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.ratelimit.check.RateLimitCheck;
import io.qnsp.ratelimit.check.web.CheckAnswer.CheckResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Runtime check")
@RestController
/** {@code POST /v1/check} on the main port; the decision server answers it on its own port, by the same rules. */
class CheckController {

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
    @FailureResponse(status = 503, description = "Redis cannot be reached and the failure mode is fail-closed; "
            + "Retry-After (qnsp.ratelimit.unavailable-retry-after, in seconds) says when to try again")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CheckRequest.class)))
    // the body is read by the streaming reader both transports share, not bound by a converter
    @PostMapping(path = "/v1/check", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CheckResponse> check(@RequestBody byte[] body) {
        CheckRequest request = CheckRequest.read(body);
        CheckAnswer answer = CheckAnswer.of(check.check(request.apiKey(), request.costOrDefault()));
        return ResponseEntity.status(answer.status()).headers(headers -> answer.headers().forEach(headers::set))
                .body(answer.body());
    }
}
