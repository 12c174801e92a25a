package io.qnsp.gateway.web;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action once a request has been answered, when its status is final: when handling completes, or, when
 * handling failed, once the error handler (which runs outside every filter) has written the error.
 */
public final class Answered {

    private Answered() {
    }

    /** {@code handling}, with {@code action} run exactly once after the caller's answer is settled. */
    public static Mono<Void> then(ServerWebExchange exchange, Mono<Void> handling, Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable once = () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
        return handling.doFinally(signal -> {
            ServerHttpResponse response = exchange.getResponse();
            if (signal == SignalType.ON_ERROR && !response.isCommitted()) {
                response.beforeCommit(() -> Mono.fromRunnable(once));
            } else {
                once.run();
            }
        });
    }
}
