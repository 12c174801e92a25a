package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.web.WebRequestProperties;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses request bodies above {@code qnsp.gateway.max-request-body} (or the limit {@code qnsp.gateway.path-limits}
 * gives the path), applied by the edge filter: at once when {@code Content-Length} says so, and while streaming when
 * the body is chunked. The caller gets 413 {@code payload_too_large} in the family format. Bodies are never buffered
 * here: they stream through.
 */
final class RequestBodyLimit {

    private record PathRule(List<PathPattern> patterns, long limit) {
    }

    private final long defaultLimit;
    private final List<PathRule> pathRules;
    private final GatewayErrors errors;

    RequestBodyLimit(long limit, List<WebRequestProperties.PathLimit> pathLimits, GatewayErrors errors) {
        this.defaultLimit = limit;
        PathPatternParser parser = new PathPatternParser();
        this.pathRules = pathLimits.stream().map(p -> new PathRule(p.paths().stream().map(parser::parse).toList(),
                p.maxRequestBody().toBytes())).toList();
        this.errors = errors;
    }

    private long limitFor(ServerWebExchange exchange) {
        if (pathRules.isEmpty()) {
            return defaultLimit;
        }
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        for (PathRule rule : pathRules) {
            for (PathPattern pattern : rule.patterns()) {
                if (pattern.matches(path)) {
                    return rule.limit();
                }
            }
        }
        return defaultLimit;
    }

    Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        long declared = headers.getContentLength();
        if (declared < 0 && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            // HTTP/1.1 (the gateway does not serve HTTP/2): without either header a request has no body
            return chain.filter(exchange);
        }
        long limit = limitFor(exchange);
        if (declared > limit) {
            return errors.write(exchange, ApiError.of(new PayloadTooLarge(limit)));
        }
        if (declared >= 0) {
            // the server reads no more than the declared length
            return chain.filter(exchange);
        }
        ServerHttpRequest counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        sink.error(new PayloadTooLarge(limit));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }
}
