package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorFamily;
import io.qnsp.common.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR;

/**
 * Answers a gateway exchange with an error in the API family of the path the caller requested (see
 * {@link ApiFamilies}), carrying the request id: the one way the gateway's filters, handlers and error handler
 * write a failure.
 */
public final class GatewayErrors {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrors.class);

    private final ApiFamilies families;
    // a plain mapper of our own: no application setting may change the error format
    private final JsonMapper jsonMapper = JsonMapper.shared();

    public GatewayErrors(ApiFamilies families) {
        this.families = families;
    }

    /** The family this exchange is answered in, judged by the path as the caller sent it. */
    public ErrorFamily family(ServerWebExchange exchange) {
        return families.ofPath(requestedPath(exchange));
    }

    /** The body {@link #write} sends for this error on this exchange. */
    public Map<String, Object> body(ServerWebExchange exchange, ApiError error) {
        return family(exchange).body(error, ExchangeAttributes.requestId(exchange),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** Answers with the error, unless the response is already committed (then it can only be logged). */
    public Mono<Void> write(ServerWebExchange exchange, ApiError error) {
        return write(exchange, error, HttpHeaders.EMPTY);
    }

    /**
     * As {@link #write(ServerWebExchange, ApiError)}, adding headers (e.g. {@code WWW-Authenticate},
     * {@code Retry-After}); headers already on the response, such as {@code X-RateLimit-*}, stay.
     */
    public Mono<Void> write(ServerWebExchange exchange, ApiError error, HttpHeaders headers) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            log.warn("Response already committed; could not send error {} {} (requestId {})",
                    error.status().value(), error.code(), ExchangeAttributes.requestId(exchange));
            return Mono.empty();
        }
        byte[] bytes = jsonMapper.writeValueAsBytes(body(exchange, error));
        response.setStatusCode(error.status());
        HttpHeaders target = response.getHeaders();
        // whatever a backend or an earlier writer said about a body no longer describes this one
        target.remove(HttpHeaders.CONTENT_ENCODING);
        target.remove(HttpHeaders.TRANSFER_ENCODING);
        target.remove(HttpHeaders.CONTENT_DISPOSITION);
        target.set(RequestIds.HEADER, ExchangeAttributes.requestId(exchange));
        headers.forEach(target::put);
        target.setContentType(MediaType.APPLICATION_JSON);
        target.setContentLength(bytes.length);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }

    private static String requestedPath(ServerWebExchange exchange) {
        // a route filter such as StripPrefix may have rewritten the path; the caller's path decides the family
        Object originals = exchange.getAttribute(GATEWAY_ORIGINAL_REQUEST_URL_ATTR);
        if (originals instanceof Collection<?> urls && !urls.isEmpty() && urls.iterator().next() instanceof URI first
                && first.getRawPath() != null) {
            return first.getRawPath();
        }
        return exchange.getRequest().getPath().pathWithinApplication().value();
    }
}
