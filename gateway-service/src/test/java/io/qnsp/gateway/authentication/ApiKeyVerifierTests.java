package io.qnsp.gateway.authentication;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyVerifierTests {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String KEY_A = "dh_test_" + "A".repeat(32);
    private static final String KEY_B = "dh_test_" + "B".repeat(32);

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Mono<Optional<ApiKeyVerification>>> answers = new ConcurrentHashMap<>();
    private final ApiKeyVerifier.KeyVerification authService = apiKey -> {
        calls.computeIfAbsent(apiKey, key -> new AtomicInteger()).incrementAndGet();
        return answers.getOrDefault(apiKey, Mono.just(Optional.empty()));
    };
    private final AuthenticationProperties.KeyCache settings = new AuthenticationProperties.KeyCache(100,
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5));
    private final ApiKeyVerifier verifier = new ApiKeyVerifier(authService, settings, clock, ticker);

    private static ApiKeyVerification verified(String keyId, Duration tokenLeft, Instant keyExpiresAt) {
        return new ApiKeyVerification(keyId, "t1", keyId, List.of("read:requests"),
                new ApiKeyVerification.RateLimit(100L, 1000L, 10000L), "active", keyExpiresAt, "token-" + keyId,
                NOW.plus(tokenLeft));
    }

    private void answer(String apiKey, ApiKeyVerification verification) {
        answers.put(apiKey, Mono.just(Optional.of(verification)));
    }

    private int calls(String apiKey) {
        AtomicInteger count = calls.get(apiKey);
        return count == null ? 0 : count.get();
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void aVerificationIsRememberedForTheMaxTtlAtMost() {
        answer(KEY_A, verified("key_a", Duration.ofMinutes(5), null));
        assertThat(verifier.verify(KEY_A).block().keyId()).isEqualTo("key_a");
        advance(Duration.ofSeconds(29));
        assertThat(verifier.verify(KEY_A).block().accessToken()).isEqualTo("token-key_a");
        assertThat(calls(KEY_A)).isEqualTo(1);

        advance(Duration.ofSeconds(2));
        verifier.verify(KEY_A).block();
        assertThat(calls(KEY_A)).isEqualTo(2);
    }

    @Test
    void aVerificationIsDroppedBeforeItsDownstreamTokenExpiresOrTheKeyExpires() {
        // the token has 40 s left: trusted for 10 s, so a forwarded token has at least 30 s left
        answer(KEY_A, verified("key_a", Duration.ofSeconds(40), null));
        verifier.verify(KEY_A).block();
        advance(Duration.ofSeconds(9));
        verifier.verify(KEY_A).block();
        assertThat(calls(KEY_A)).isEqualTo(1);
        advance(Duration.ofSeconds(2));
        verifier.verify(KEY_A).block();
        assertThat(calls(KEY_A)).isEqualTo(2);

        answer(KEY_B, verified("key_b", Duration.ofMinutes(5), NOW.plusSeconds(3)));
        verifier.verify(KEY_B).block();
        advance(Duration.ofSeconds(4));
        verifier.verify(KEY_B).block();
        assertThat(calls(KEY_B)).isEqualTo(2);
    }

    @Test
    void aRefusedKeyIsRefusedFromMemoryForTheNegativeTtl() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> verifier.verify(KEY_A).block()).isInstanceOf(AuthenticationFailed.class)
                    .satisfies(failure -> assertThat(((AuthenticationFailed) failure).error().code())
                            .isEqualTo("invalid_token"));
        }
        assertThat(calls(KEY_A)).isEqualTo(1);
        advance(Duration.ofSeconds(6));
        assertThatThrownBy(() -> verifier.verify(KEY_A).block()).isInstanceOf(AuthenticationFailed.class);
        assertThat(calls(KEY_A)).isEqualTo(2);
    }

    @Test
    void aValueNotShapedLikeAKeyIsRefusedWithoutAsking() {
        for (String value : new String[] {"dh_live_short", "sk_live_" + "A".repeat(32), "dh_live_" + "A".repeat(31) + "!"}) {
            assertThatThrownBy(() -> verifier.verify(value).block()).isInstanceOf(AuthenticationFailed.class);
        }
        assertThat(calls).isEmpty();
    }

    @Test
    void aChangeNoticeDropsOnlyThatKey() {
        answer(KEY_A, verified("key_a", Duration.ofMinutes(5), null));
        answer(KEY_B, verified("key_b", Duration.ofMinutes(5), null));
        verifier.verify(KEY_A).block();
        verifier.verify(KEY_B).block();

        verifier.evict("key_a");
        verifier.verify(KEY_A).block();
        verifier.verify(KEY_B).block();
        assertThat(calls(KEY_A)).isEqualTo(2);
        assertThat(calls(KEY_B)).isEqualTo(1);

        verifier.evictAll();
        verifier.verify(KEY_B).block();
        assertThat(calls(KEY_B)).isEqualTo(2);
    }

    @Test
    void anAnswerInFlightDuringAChangeNoticeServesItsRequestsButIsNotRemembered() {
        Sinks.One<Optional<ApiKeyVerification>> pending = Sinks.one();
        answers.put(KEY_A, pending.asMono());
        Mono<ApiKeyVerification> first = verifier.verify(KEY_A).cache();
        first.subscribe();
        Mono<ApiKeyVerification> second = verifier.verify(KEY_A).cache();
        second.subscribe();

        verifier.evict("key_a");
        pending.tryEmitValue(Optional.of(verified("key_a", Duration.ofMinutes(5), null)));
        assertThat(first.block().keyId()).isEqualTo("key_a");
        assertThat(second.block().keyId()).isEqualTo("key_a");
        // both requests shared one call
        assertThat(calls(KEY_A)).isEqualTo(1);

        answer(KEY_A, verified("key_a", Duration.ofMinutes(5), null));
        verifier.verify(KEY_A).block();
        assertThat(calls(KEY_A)).isEqualTo(2);
    }

    @Test
    void whenAuthServiceCannotBeAskedTheFailureIsNotRemembered() {
        answers.put(KEY_A, Mono.error(AuthenticationFailed.unavailable()));
        assertThatThrownBy(() -> verifier.verify(KEY_A).block()).isInstanceOf(AuthenticationFailed.class)
                .satisfies(failure -> assertThat(((AuthenticationFailed) failure).error().status().value())
                        .isEqualTo(503));

        answer(KEY_A, verified("key_a", Duration.ofMinutes(5), null));
        assertThat(verifier.verify(KEY_A).block().keyId()).isEqualTo("key_a");
        assertThat(calls(KEY_A)).isEqualTo(2);
    }

    @Test
    void theCacheIsBounded() {
        ApiKeyVerifier small = new ApiKeyVerifier(authService, new AuthenticationProperties.KeyCache(10,
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5)), clock, ticker);
        for (int i = 0; i < 50; i++) {
            String key = "dh_test_" + String.format("%032d", i);
            answer(key, verified("key_" + i, Duration.ofMinutes(5), null));
            small.verify(key).block();
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
    }
}
