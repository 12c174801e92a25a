package io.qnsp.ratelimit.check.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.error.ErrorFamily;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.RequestIds;
import io.qnsp.ratelimit.check.RateLimitCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the decision server answers to one request, independent of the connection it came on: routing, the shared
 * body reader and check, the shared answer, errors in the service's family format, and the request's metric and
 * access-log line as the servlet stack records them.
 */
final class DecisionExchanges {

    static final String PATH = "/v1/check";
    private static final Logger log = LoggerFactory.getLogger(DecisionExchanges.class);
    // the servlet stack's access log, so an operator's level for it covers both transports
    private static final Logger accessLog = LoggerFactory.getLogger("io.qnsp.access");
    private static final String JSON = MediaType.APPLICATION_JSON_VALUE;
    private static final String ERROR_CONTENT_TYPE = "application/json;charset=UTF-8";
    private static final String NONE = "none";

    /**
     * One answer, ready to be written.
     *
     * @param uri   the route that answered, as the {@code uri} tag and the access log name it
     * @param exception the simple name of an unexpected failure behind a 500, else {@code none}
     * @param close     whether the connection must close after it (the request could not be read to its end)
     */
    record Answer(int status, String contentType, Map<String, String> headers, byte[] body, String uri,
                  String exception, boolean close) {
    }

    private record TimerKey(String method, String uri, int status, String exception) {
    }

    private final RateLimitCheck check;
    private final ErrorFamily family;
    private final MeterRegistry registry;
    private final JsonMapper json = JsonMapper.shared();
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    DecisionExchanges(RateLimitCheck check, ErrorFamily family, MeterRegistry registry) {
        this.check = check;
        this.family = family;
        this.registry = registry;
    }

    /**
     * Answers a request whose body has been read in full: at once for a request that breaks the contract, else
     * once the key is known and the bucket has decided. {@code done} is called exactly once, on any thread.
     */
    void answer(FullHttpRequest request, String requestId, Scheduler lookups, Consumer<Answer> done) {
        CheckRequest body;
        try {
            body = route(request);
        } catch (RouteFailure failure) {
            done.accept(error(failure.error, failure.uri, requestId, failure.headers, false));
            return;
        } catch (ApiException invalid) {
            done.accept(error(ApiError.of(invalid), PATH, requestId, headers(invalid), false));
            return;
        }
        try {
            check.checkAsync(body.apiKey(), body.costOrDefault(), lookups)
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("the check ended without a decision")))
                    .subscribe(
                    decision -> done.accept(decided(CheckAnswer.of(decision), requestId)),
                    failure -> done.accept(failed(failure, requestId)));
        } catch (RuntimeException failure) {
            done.accept(failed(failure, requestId));
        }
    }

    /** The request's path and method are this server's, its content is JSON, and its body a valid check. */
    private CheckRequest route(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        if (!PATH.equals(path)) {
            throw new RouteFailure(status(HttpStatus.NOT_FOUND), "NOT_FOUND", Map.of());
        }
        if (!HttpMethod.POST.equals(request.method())) {
            throw new RouteFailure(status(HttpStatus.METHOD_NOT_ALLOWED), PATH, Map.of("Allow", "POST"));
        }
        if (!isJson(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            throw new RouteFailure(new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                    "The request's content type is not supported", Map.of("supported", List.of(JSON))),
                    PATH, Map.of("Accept", JSON));
        }
        if (!request.content().isReadable()) {
            throw new InvalidField("body", "is required");
        }
        return CheckRequest.read(ByteBufUtil.getBytes(request.content()));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
        return type.toLowerCase(Locale.ROOT).equals(JSON);
    }

    /** The answer to a request whose body is longer than the limit; the connection closes after it. */
    Answer oversized(int limit, String requestId) {
        return error(new ApiError(HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
                "The request body exceeds the limit of " + limit + " bytes",
                Map.of("field", "body", "limitBytes", limit)), PATH, requestId, Map.of(), true);
    }

    /** The answer to bytes that are not an HTTP request the server can read; the connection closes after it. */
    Answer unreadable(DecoderResult result, String requestId) {
        Throwable cause = result.cause();
        ApiError error;
        if (cause instanceof TooLongHttpLineException) {
            error = status(HttpStatus.URI_TOO_LONG);
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            error = ApiError.of(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, ErrorCodes.INVALID_REQUEST,
                    "The request's headers are too large");
        } else {
            error = ApiError.of(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, "The request is not valid HTTP");
        }
        return error(error, "UNKNOWN", requestId, Map.of(), true);
    }

    private Answer decided(CheckAnswer answer, String requestId) {
        return new Answer(answer.status().value(), JSON, answer.headers(), answer.json(), PATH, NONE, false);
    }

    private Answer failed(Throwable failure, String requestId) {
        Throwable cause = Exceptions.unwrap(failure);
        if (cause instanceof ApiException known) {
            // e.g. Retry-After on the 503 of a limiter that cannot reach Redis, as the main port sends it
            return error(ApiError.of(known), PATH, requestId, headers(known), false);
        }
        if (cause instanceof RejectedExecutionException) {
            log.warn("too many keys waiting to be read from the database; answering 503");
            return error(status(HttpStatus.SERVICE_UNAVAILABLE), PATH, requestId, Map.of(), false);
        }
        log.error("a check failed unexpectedly", cause);
        Answer internal = error(ApiError.of(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                "An unexpected error occurred"), PATH, requestId, Map.of(), false);
        return new Answer(internal.status(), internal.contentType(), internal.headers(), internal.body(),
                internal.uri(), cause.getClass().getSimpleName(), false);
    }

    private Answer error(ApiError error, String uri, String requestId, Map<String, String> headers, boolean close) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        byte[] body = json.writeValueAsBytes(family.body(error, requestId, now));
        return new Answer(error.status().value(), ERROR_CONTENT_TYPE, headers, body, uri, NONE, close);
    }

    /** The headers the failure's answer needs, as this server writes them. */
    private static Map<String, String> headers(ApiException failure) {
        org.springframework.http.HttpHeaders headers = failure.headers();
        if (headers.isEmpty()) {
            return Map.of();
        }
        Map<String, String> flat = new LinkedHashMap<>(4);
        headers.forEach((name, values) -> flat.put(name, String.join(", ", values)));
        return flat;
    }

    private static ApiError status(HttpStatus status) {
        return ApiError.of(status, ErrorCodes.forStatus(status), ErrorCodes.messageForStatus(status));
    }

    /** The request id to use: the caller's, when well-formed, else a new one. */
    static String requestId(HttpRequest request) {
        return RequestIds.accept(request.headers().get(RequestIds.HEADER));
    }

    /** Records the answered request in {@code http.server.requests} and the access log, as the servlet stack does. */
    void recordAnswered(String method, Answer answer, String requestId, long startedNanos) {
        long nanos = System.nanoTime() - startedNanos;
        timers.computeIfAbsent(new TimerKey(method, answer.uri(), answer.status(), answer.exception()), key -> Timer
                .builder("http.server.requests")
                .description("Duration of HTTP server request handling")
                .tag("error", key.exception())
                .tag("exception", key.exception())
                .tag("method", key.method())
                .tag("outcome", outcome(key.status()))
                .tag("status", Integer.toString(key.status()))
                .tag("uri", key.uri())
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (accessLog.isInfoEnabled()) {
            String outer = MDC.get(RequestIds.MDC_KEY);
            MDC.put(RequestIds.MDC_KEY, requestId);
            try {
                accessLog.info("{} {} {} {}ms", method, PATH.equals(answer.uri()) ? PATH : "(unmatched)",
                        answer.status(), nanos / 1_000_000);
            } finally {
                if (outer == null) {
                    MDC.remove(RequestIds.MDC_KEY);
                } else {
                    MDC.put(RequestIds.MDC_KEY, outer);
                }
            }
        }
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            default -> "SERVER_ERROR";
        };
    }

    /** A request this server does not serve (path, method or content type), with the headers its answer needs. */
    private static final class RouteFailure extends RuntimeException {

        private final transient ApiError error;
        private final String uri;
        private final transient Map<String, String> headers;

        RouteFailure(ApiError error, String uri, Map<String, String> headers) {
            super(null, null, false, false);
            this.error = error;
            this.uri = uri;
            this.headers = new LinkedHashMap<>(headers);
        }
    }
}
