package io.qnsp.gateway.web;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Headers a filter wants on the answer to a request, such as {@code X-RateLimit-*}. The edge filter writes them when
 * the response is committed, together with the request id and the security headers, so whoever answers (a service,
 * a filter, the error handler) the caller gets them once, and a service's own values of them are replaced.
 */
@FunctionalInterface
public interface AnswerHeaders {

    /** Sets the headers on the response's headers, replacing values already there. */
    void writeTo(HttpHeaders headers);

    /** Hands the headers to the edge filter for this exchange; a later call replaces an earlier one. */
    static void put(ServerWebExchange exchange, AnswerHeaders headers) {
        exchange.getAttributes().put(ExchangeAttributes.ANSWER_HEADERS, headers);
    }

    /** Writes the headers handed over for this exchange, if any. */
    static void writeFor(ServerWebExchange exchange, HttpHeaders target) {
        if (exchange.getAttribute(ExchangeAttributes.ANSWER_HEADERS) instanceof AnswerHeaders headers) {
            headers.writeTo(target);
        }
    }
}
