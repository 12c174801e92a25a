package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.DisconnectedClientHelper;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Answers every failure that escapes the filters and handlers in the family format with the request id: no route
 * (404), bodies too large (413), a backend that is down or too slow (503 {@code service_unavailable}), anything
 * unexpected (500, with the stack trace in the log only). Replaces Spring Boot's default handler.
 */
class GatewayExceptionHandler implements ErrorWebExceptionHandler, Ordered {

    // ahead of Spring Boot's handler (-1) and Spring's response status handler (0)
    static final int ORDER = -2;

    private static final Logger log = LoggerFactory.getLogger(GatewayExceptionHandler.class);

    private final GatewayErrors errors;

    GatewayExceptionHandler(GatewayErrors errors) {
        this.errors = errors;
    }

    private record Failure(ApiError error, HttpHeaders headers) {

        Failure(ApiError error) {
            this(error, HttpHeaders.EMPTY);
        }
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        Failure backend = backendFailure(exchange, failure);
        if (backend == null && DisconnectedClientHelper.isClientDisconnectedException(failure)) {
            return Mono.error(failure);
        }
        Failure answer = backend != null ? backend : classify(failure);
        logged(exchange, answer.error(), failure);
        return errors.write(exchange, answer.error(), answer.headers());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** A routed request whose backend could not be reached or did not answer in time; {@code null} otherwise. */
    private static Failure backendFailure(ServerWebExchange exchange, Throwable failure) {
        if (!(exchange.getAttribute(GATEWAY_ROUTE_ATTR) instanceof Route route)
                || find(failure, ApiException.class) != null) {
            return null;
        }
        String reason;
        if (find(failure, TimeoutException.class) != null) {
            reason = "timeout";
        } else if (failure instanceof ResponseStatusException status
                && status.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
            reason = "timeout";
        } else if (find(failure, IOException.class) != null) {
            reason = "unreachable";
        } else {
            return null;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("service", route.getId());
        details.put("reason", reason);
        return new Failure(new ApiError(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE,
                "The service behind this path is unavailable", details));
    }

    private static Failure classify(Throwable failure) {
        ApiException api = find(failure, ApiException.class);
        if (api != null) {
            return new Failure(ApiError.of(api));
        }
        if (find(failure, DataBufferLimitException.class) != null) {
            return new Failure(new ApiError(HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
                    ErrorCodes.messageForStatus(HttpStatus.CONTENT_TOO_LARGE), Map.of("field", "body")));
        }
        if (failure instanceof ErrorResponse response) {
            return fromErrorResponse(response);
        }
        return new Failure(ApiError.of(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                ErrorCodes.messageForStatus(HttpStatus.INTERNAL_SERVER_ERROR)));
    }

    private static Failure fromErrorResponse(ErrorResponse response) {
        HttpStatusCode status = response.getStatusCode();
        if (status.value() == 502 || status.value() == 503 || status.value() == 504) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
        } else if (status.is5xxServerError()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String message = ErrorCodes.messageForStatus(status);
        // Spring's reasons for client errors are safe to show; a missing resource's names the resource lookup
        if (status.is4xxClientError() && !(response instanceof NoResourceFoundException)
                && response instanceof ResponseStatusException rse && rse.getReason() != null
                && !rse.getReason().isBlank()) {
            message = rse.getReason();
        }
        HttpHeaders headers = status.is4xxClientError() ? response.getHeaders() : HttpHeaders.EMPTY;
        return new Failure(ApiError.of(status, ErrorCodes.forStatus(status), message), headers);
    }

    private static void logged(ServerWebExchange exchange, ApiError error, Throwable failure) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(RequestIds.MDC_KEY, ExchangeAttributes.requestId(exchange))) {
            String request = exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value();
            if (error.status().value() == HttpStatus.INTERNAL_SERVER_ERROR.value()) {
                log.error("{} failed with 500 (requestId {})", request, ExchangeAttributes.requestId(exchange),
                        failure);
            } else if (error.status().is5xxServerError()) {
                log.warn("{} answered {} {} {} (requestId {}): {}", request, error.status().value(), error.code(),
                        error.details(), ExchangeAttributes.requestId(exchange), failure.toString());
            } else if (log.isDebugEnabled()) {
                log.debug("{} rejected with {} (requestId {}): {}", request, error.status().value(),
                        ExchangeAttributes.requestId(exchange), failure.toString());
            }
        }
    }

    private static <T> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
