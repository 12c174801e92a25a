package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * The one web filter every request meets first, doing what used to take five (request id, request log, CORS, body
 * limit and Spring Security's chain) with one hook on the answer and one Reactor operator:
 * <ol>
 * <li>gives the request its id: the caller's {@code X-Request-Id} when it is well-formed, a new UUID otherwise, kept as
 * {@link ExchangeAttributes#REQUEST_ID} (it reaches the service through {@link RequestIdForwarding});</li>
 * <li>refuses what the {@link RequestFirewall} refuses, answers CORS preflights and foreign origins
 * ({@link CorsPolicy}) and refuses bodies above the limit ({@link RequestBodyLimit});</li>
 * <li>when the answer is committed, whoever commits it, writes its headers once: the request id (replacing a
 * service's echo), the {@link AnswerHeaders} a filter handed over ({@code X-RateLimit-*}) and the
 * {@link SecurityHeaders};</li>
 * <li>once the answer is settled, writes the access-log line and tells the {@link AnsweredRequestListener}s (the
 * request log).</li>
 * </ol>
 * The access-log line names the route or handler pattern, never the raw path, which can carry a key.
 */
final class EdgeFilter implements WebFilter, Ordered {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    // the services' access logger, so one query finds a request's lines everywhere
    private static final Logger accessLog = LoggerFactory.getLogger("io.qnsp.access");

    private final CorsPolicy cors;
    private final RequestBodyLimit bodyLimit;
    private final GatewayErrors errors;
    private final AnsweredRequestListener[] listeners;

    EdgeFilter(CorsPolicy cors, RequestBodyLimit bodyLimit, GatewayErrors errors,
               List<AnsweredRequestListener> listeners) {
        this.cors = cors;
        this.bodyLimit = bodyLimit;
        this.errors = errors;
        this.listeners = listeners.toArray(AnsweredRequestListener[]::new);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String id = accept(request.getHeaders().getFirst(RequestIds.HEADER));
        exchange.getAttributes().put(ExchangeAttributes.REQUEST_ID, id);
        boolean logged = accessLog.isInfoEnabled() && !request.getPath().value().startsWith("/actuator");
        Answer answer = new Answer(exchange, id, logged || listeners.length > 0 ? System.nanoTime() : 0, logged);
        exchange.getResponse().beforeCommit(answer);
        Mono<Void> handling = handle(exchange, chain, request);
        return logged || listeners.length > 0 ? handling.doFinally(answer) : handling;
    }

    private Mono<Void> handle(ServerWebExchange exchange, WebFilterChain chain, ServerHttpRequest request) {
        ApiError rejected = RequestFirewall.check(request);
        if (rejected != null) {
            return errors.write(exchange, rejected);
        }
        Mono<Void> settled = cors.answer(exchange);
        if (settled != null) {
            return settled;
        }
        return bodyLimit.filter(exchange, chain);
    }

    static String accept(String offered) {
        return offered != null && ACCEPTED.matcher(offered).matches() ? offered : RandomIds.uuid().toString();
    }

    /**
     * One request's answer: its commit hook (the headers) and its end (the access log and the listeners), in one
     * object so that a request allocates neither a lambda per hook nor a flag of its own.
     */
    private final class Answer implements Supplier<Mono<Void>>, Consumer<SignalType> {

        private static final int RUNNING = 0;
        private static final int AWAITING_COMMIT = 1;
        private static final int DONE = 2;
        private static final AtomicIntegerFieldUpdater<Answer> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Answer.class, "state");

        private final ServerWebExchange exchange;
        private final String id;
        private final long started;
        private final long arrivedAtMillis;
        private final boolean logged;
        private volatile int state;

        Answer(ServerWebExchange exchange, String id, long started, boolean logged) {
            this.exchange = exchange;
            this.id = id;
            this.started = started;
            this.arrivedAtMillis = listeners.length > 0 ? System.currentTimeMillis() : 0;
            this.logged = logged;
        }

        /** At commit: the answer's headers, once. */
        @Override
        public Mono<Void> get() {
            ServerHttpResponse response = exchange.getResponse();
            HttpHeaders headers = response.getHeaders();
            headers.set(RequestIds.HEADER, id);
            AnswerHeaders.writeFor(exchange, headers);
            SecurityHeaders.writeTo(headers, response.getStatusCode(), exchange.getRequest());
            if (state == AWAITING_COMMIT) {
                settled();
            }
            return Mono.empty();
        }

        /** When handling ends; after a failure the error handler, which runs outside every filter, answers later. */
        @Override
        public void accept(SignalType signal) {
            if (signal == SignalType.ON_ERROR && !exchange.getResponse().isCommitted()
                    && STATE.compareAndSet(this, RUNNING, AWAITING_COMMIT)
                    && !exchange.getResponse().isCommitted()) {
                return;
            }
            settled();
        }

        private void settled() {
            if (STATE.getAndSet(this, DONE) == DONE) {
                return;
            }
            long duration = System.nanoTime() - started;
            if (logged) {
                logAccess(duration);
            }
            for (AnsweredRequestListener listener : listeners) {
                listener.answered(exchange, arrivedAtMillis, duration);
            }
        }

        private void logAccess(long durationNanos) {
            String target = exchange.getAttribute(GATEWAY_ROUTE_ATTR) instanceof Route route ? "route " + route.getId()
                    : exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof PathPattern
                    pattern ? pattern.getPatternString() : "(unmatched)";
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            try (MDC.MDCCloseable ignored = MDC.putCloseable(RequestIds.MDC_KEY, id)) {
                accessLog.info("{} {} {} {}ms", exchange.getRequest().getMethod(), target,
                        status == null ? 200 : status.value(), durationNanos / 1_000_000);
            }
        }
    }
}
