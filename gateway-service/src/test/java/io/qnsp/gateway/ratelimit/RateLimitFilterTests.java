package io.qnsp.gateway.ratelimit;

import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorFamily;
import io.qnsp.common.ratelimit.BucketLimits;
import io.qnsp.common.ratelimit.RateLimitBucket;
import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.common.ratelimit.RateLimiterUnavailable;
import io.qnsp.common.ratelimit.ReactiveRateLimiter;
import io.qnsp.gateway.authentication.AuthenticatedCaller;
import io.qnsp.gateway.web.AnswerHeaders;
import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.GatewayErrors;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitFilterTests {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
    private static final AuthenticatedCaller KEY_CALLER = new AuthenticatedCaller(AuthenticatedCaller.Method.API_KEY,
            "key_1", "t1", "key_1", new AuthenticatedCaller.KeyRateLimit(60L, 3600L, 0L));
    private static final AuthenticatedCaller JWT_CALLER = new AuthenticatedCaller(AuthenticatedCaller.Method.JWT,
            "user-1", "t1", null, null);

    private final GatewayErrors errors = new GatewayErrors(new ApiFamilies(ErrorFamily.QNSP,
            Map.of(ErrorFamily.DATAHUB, List.of("/api/v1/**"))));
    private final List<List<RateLimitBucket>> charged = new ArrayList<>();
    private final AtomicReference<Mono<RateLimitDecision>> next = new AtomicReference<>();
    private final ReactiveRateLimiter limiter = new ReactiveRateLimiter() {
        @Override
        public Mono<RateLimitDecision> tryConsume(String bucketId, BucketLimits limits, long cost) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<RateLimitDecision> tryConsumeAll(List<RateLimitBucket> buckets, long cost) {
            charged.add(buckets);
            return next.get();
        }

        @Override
        public Mono<RateLimitDecision> peek(String bucketId, BucketLimits limits) {
            throw new UnsupportedOperationException();
        }
    };
    private final RateLimitFilter filter = filter(true);

    private RateLimitFilter filter(boolean enabled) {
        return filter(enabled, null);
    }

    private RateLimitFilter filter(boolean enabled, Long tenantTotalPerMinute) {
        GatewayRateLimitProperties properties = new GatewayRateLimitProperties(enabled,
                new GatewayRateLimitProperties.Windows(600L, null, null),
                new GatewayRateLimitProperties.TenantTotal(tenantTotalPerMinute),
                new GatewayRateLimitProperties.PublicPaths(0, 0, java.util.List.of()),
                new GatewayRateLimitProperties.ClientFailures(0, Duration.ofMinutes(5), Duration.ofSeconds(30),
                        Duration.ofMinutes(15), "/oauth2/token"));
        return new RateLimitFilter(limiter, new CallerLimits(properties), errors, CLOCK, enabled);
    }

    private boolean passed;
    private final GatewayFilterChain chain = exchange -> {
        passed = true;
        return exchange.getResponse().setComplete();
    };

    private MockServerWebExchange exchange(String path, AuthenticatedCaller caller) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
        // the edge filter writes the headers the filter hands over when the answer is committed
        exchange.getResponse().beforeCommit(() -> {
            AnswerHeaders.writeFor(exchange, exchange.getResponse().getHeaders());
            return Mono.empty();
        });
        if (caller != null) {
            exchange.getAttributes().put(AuthenticatedCaller.ATTRIBUTE, caller);
        }
        return exchange;
    }

    @Test
    void chargesAKeyItsOwnWindowsAsBucketsThatRefillOverTheWindow() {
        next.set(Mono.just(new RateLimitDecision(true, 59, 60, Duration.ofMillis(1_500), Duration.ZERO,
                RateLimitDecision.Source.REDIS)));
        MockServerWebExchange exchange = exchange("/api/v1/requests", KEY_CALLER);
        filter.filter(exchange, chain).block();

        assertThat(passed).isTrue();
        // a window with no positive limit is not a window
        assertThat(charged).singleElement().satisfies(buckets -> assertThat(buckets).containsExactly(
                new RateLimitBucket("key:key_1:m", new BucketLimits(60, 1.0)),
                new RateLimitBucket("key:key_1:h", new BucketLimits(3600, 1.0))));
        HttpHeaders headers = exchange.getResponse().getHeaders();
        assertThat(headers.getFirst("X-RateLimit-Limit")).isEqualTo("60");
        assertThat(headers.getFirst("X-RateLimit-Remaining")).isEqualTo("59");
        // full again in 1.5 s: the reset is rounded up to the next whole second
        assertThat(headers.getFirst("X-RateLimit-Reset")).isEqualTo("1700000002");
    }

    @Test
    void turnedOffItPassesEveryCallerWithoutChargingOrHeaders() {
        MockServerWebExchange exchange = exchange("/api/v1/requests", KEY_CALLER);

        filter(false).filter(exchange, chain).block();

        assertThat(passed).isTrue();
        assertThat(charged).isEmpty();
        assertThat(exchange.getResponse().getHeaders().getFirst("X-RateLimit-Limit")).isNull();
    }

    @Test
    void chargesAJwtCallerTheTenantDefault() {
        next.set(Mono.just(new RateLimitDecision(true, 1, 600, Duration.ZERO, Duration.ZERO,
                RateLimitDecision.Source.REDIS)));
        filter.filter(exchange("/kms/v1/keys", JWT_CALLER), chain).block();
        assertThat(charged).singleElement().satisfies(buckets -> assertThat(buckets).containsExactly(
                new RateLimitBucket("tenant:t1:m", new BucketLimits(600, 10.0))));

        AuthenticatedCaller operator = new AuthenticatedCaller(AuthenticatedCaller.Method.JWT, "ops", null, null, null);
        filter.filter(exchange("/kms/v1/keys", operator), chain).block();
        assertThat(charged.get(1).getFirst().id()).isEqualTo("sub:ops:m");
    }

    @Test
    void withATenantTotalEveryCallerOfATenantIsAlsoChargedTheTenantsBucketInTheSameCall() {
        next.set(Mono.just(new RateLimitDecision(true, 59, 60, Duration.ofSeconds(1), Duration.ZERO,
                RateLimitDecision.Source.REDIS)));
        RateLimitFilter withTotal = filter(true, 1_200L);
        withTotal.filter(exchange("/api/v1/requests", KEY_CALLER), chain).block();
        withTotal.filter(exchange("/kms/v1/keys", JWT_CALLER), chain).block();
        AuthenticatedCaller operator = new AuthenticatedCaller(AuthenticatedCaller.Method.JWT, "ops", null, null, null);
        withTotal.filter(exchange("/kms/v1/keys", operator), chain).block();

        RateLimitBucket tenantTotal = new RateLimitBucket("tenant-total:t1:m", new BucketLimits(1_200, 20.0));
        assertThat(charged).hasSize(3);
        assertThat(charged.get(0)).containsExactly(
                new RateLimitBucket("key:key_1:m", new BucketLimits(60, 1.0)),
                new RateLimitBucket("key:key_1:h", new BucketLimits(3600, 1.0)),
                tenantTotal);
        assertThat(charged.get(1)).containsExactly(
                new RateLimitBucket("tenant:t1:m", new BucketLimits(600, 10.0)), tenantTotal);
        // without a tenant there is no tenant-wide window
        assertThat(charged.get(2)).extracting(RateLimitBucket::id).containsExactly("sub:ops:m");
    }

    @Test
    void aNegativeTenantTotalIsRefused() {
        assertThatThrownBy(() -> new GatewayRateLimitProperties.TenantTotal(-1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant-total.requests-per-minute");
    }

    @Test
    void aDenialIsA429InThePathsFamilyWithRetryAfterAndTheHeaders() {
        next.set(Mono.just(new RateLimitDecision(false, 0, 60, Duration.ofSeconds(59), Duration.ofMillis(800),
                RateLimitDecision.Source.LOCAL_DENIAL)));
        MockServerWebExchange exchange = exchange("/api/v1/requests", KEY_CALLER);
        filter.filter(exchange, chain).block();

        assertThat(passed).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        assertThat(headers.getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(headers.getFirst("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(headers.getFirst("X-RateLimit-Reset")).isEqualTo("1700000059");
        JsonNode body = JsonMapper.shared().readTree(exchange.getResponse().getBodyAsString().block());
        assertThat(body.at("/error/code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(body.at("/error/details/retryAfter").asLong()).isEqualTo(1);
        assertThat((Boolean) exchange.getAttribute(ExchangeAttributes.RATE_LIMITED)).isTrue();
    }

    @Test
    void whenTheLimiterRefusesToDecideTheAnswerIs503WithRetryAfter() {
        next.set(Mono.error(new RateLimiterUnavailable(Duration.ofSeconds(4))));
        MockServerWebExchange exchange = exchange("/kms/v1/keys", JWT_CALLER);
        filter.filter(exchange, chain).block();

        assertThat(passed).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        JsonNode body = JsonMapper.shared().readTree(exchange.getResponse().getBodyAsString().block());
        assertThat(body.get("error").asString()).isEqualTo("RATE_LIMITER_UNAVAILABLE");
        assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.RETRY_AFTER)).containsExactly("4");
        assertThat(exchange.getAttributes()).doesNotContainKey(ExchangeAttributes.RATE_LIMITED);
    }

    @Test
    void aRequestWithoutACallerIsNotLimitedHere() {
        ServerWebExchange exchange = exchange("/health", null);
        filter.filter(exchange, chain).block();
        assertThat(passed).isTrue();
        assertThat(charged).isEmpty();
        assertThat(exchange.getResponse().getHeaders().getFirst("X-RateLimit-Limit")).isNull();
    }

    @Test
    void roundsTimesUpForTheHeaders() {
        assertThat(RateLimitHeaders.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(RateLimitHeaders.retryAfterSeconds(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(RateLimitHeaders.retryAfterSeconds(Duration.ofMillis(1_001))).isEqualTo(2);
        assertThat(RateLimitHeaders.retryAfterSeconds(Duration.ofSeconds(20))).isEqualTo(20);
        assertThat(RateLimitHeaders.resetAt(Duration.ZERO, CLOCK)).isEqualTo(1_700_000_000);
        assertThat(RateLimitHeaders.resetAt(Duration.ofNanos(1), CLOCK)).isEqualTo(1_700_000_001);
        assertThat(RateLimitHeaders.resetAt(Duration.ofDays(1), CLOCK)).isEqualTo(1_700_086_400);
    }
}
