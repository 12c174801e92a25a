package io.qnsp.gateway.web;

import org.springframework.web.server.ServerWebExchange;

/**
 * Told once about every request after its answer is settled (its status final), whoever answered it: what the
 * request log records from. Runs on the request's thread: it must not block or fail.
 */
@FunctionalInterface
public interface AnsweredRequestListener {

    /**
     * @param exchange       the answered exchange, its attributes as the filters left them
     * @param arrivedAtMillis when the request arrived, in milliseconds since the epoch
     * @param durationNanos  how long it took from arrival to the settled answer
     */
    void answered(ServerWebExchange exchange, long arrivedAtMillis, long durationNanos);
}
