package io.qnsp.gateway.authentication;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Verifies presented API keys through auth-service and remembers the answers, keyed by a SHA-256 of the key (the key
 * itself is never kept). A verification is trusted until its downstream token nears expiry, the key expires, or
 * {@code max-ttl} passes, whichever comes first; a change notice for the key drops it at once. A refused key is
 * refused from memory for {@code negative-ttl}. Concurrent requests with the same uncached key share one call.
 */
final class ApiKeyVerifier {

    /** Loose shape of a DataHub key: anything else is refused without asking auth-service. */
    private static final Pattern KEY_SHAPE = Pattern.compile("dh_[a-z0-9]{1,16}_[A-Za-z0-9]{16,128}");
    /** One digest per thread (the event loops are few), rather than a provider lookup per request. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(ApiKeyVerifier::newSha256);
    private static final HexFormat HEX = HexFormat.of();

    /** What is remembered for a key hash. */
    private sealed interface Verdict {
    }

    /**
     * @param stale a change notice arrived while auth-service was being asked: good for the requests that asked,
     *              not to be remembered
     */
    private record Verified(ApiKeyVerification verification, boolean stale, Authenticator.Outcome outcome)
            implements Verdict {

        Verified(ApiKeyVerification verification, boolean stale) {
            // built once per verification, not once per request
            this(verification, stale, Authenticator.Outcome.authenticated(
                    new Authenticator.Authentication(verification.caller(), verification.accessToken())));
        }
    }

    private record Refused() implements Verdict {
    }

    /** auth-service could not be asked: handed to the requests that waited for it, never remembered. */
    private record Unavailable(AuthenticationFailed failure) implements Verdict {
    }

    /** Where keys are verified: auth-service, through {@link AuthServiceClient}. */
    interface KeyVerification {

        /** The verification, empty for a refused key; errors with {@link AuthenticationFailed} when not answered. */
        Mono<Optional<ApiKeyVerification>> verify(String apiKey);
    }

    private final KeyVerification authService;
    private final AuthenticationProperties.KeyCache settings;
    private final Clock clock;
    private final AsyncCache<String, Verdict> cache;
    /** Counts change notices, so an answer that was in flight during one is not remembered. */
    private final AtomicLong changes = new AtomicLong();

    ApiKeyVerifier(KeyVerification authService, AuthenticationProperties.KeyCache settings) {
        this(authService, settings, Clock.systemUTC(), Ticker.systemTicker());
    }

    /** With the wall clock that reads expiry instants and the ticker that times cache entries, for tests. */
    ApiKeyVerifier(KeyVerification authService, AuthenticationProperties.KeyCache settings, Clock clock,
                   Ticker ticker) {
        this.authService = authService;
        this.settings = settings;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.maxSize())
                .expireAfter(new VerdictExpiry())
                .ticker(ticker)
                .executor(Runnable::run)
                .buildAsync();
    }

    /**
     * The verified key; errors with {@link AuthenticationFailed#invalid()} for a key auth-service refuses and
     * {@link AuthenticationFailed#unavailable()} when it cannot be asked.
     */
    Mono<ApiKeyVerification> verify(String apiKey) {
        if (!KEY_SHAPE.matcher(apiKey).matches()) {
            return Mono.error(AuthenticationFailed.invalid());
        }
        // the call is shared: one waiter going away must not cancel it for the others
        return Mono.fromFuture(lookup(apiKey), true).flatMap(answer -> switch (answer) {
            case Verified verified -> Mono.just(verified.verification());
            case Refused refused -> Mono.error(AuthenticationFailed.invalid());
            case Unavailable unavailable -> Mono.error(unavailable.failure());
        });
    }

    /**
     * As {@link #verify}, as the authentication filter needs it: the outcome, a refusal included, as a value rather
     * than an error, so the filter continues with one operator.
     */
    Mono<Authenticator.Outcome> outcome(String apiKey) {
        if (!KEY_SHAPE.matcher(apiKey).matches()) {
            return Mono.just(Authenticator.Outcome.failed(AuthenticationFailed.invalid()));
        }
        return Mono.fromFuture(lookup(apiKey), true).map(answer -> switch (answer) {
            case Verified verified -> verified.outcome();
            case Refused refused -> Authenticator.Outcome.failed(AuthenticationFailed.invalid());
            case Unavailable unavailable -> Authenticator.Outcome.failed(unavailable.failure());
        });
    }

    private CompletableFuture<Verdict> lookup(String apiKey) {
        String hash = sha256(apiKey);
        return cache.get(hash, (key, executor) -> {
            long seen = changes.get();
            return authService.verify(apiKey)
                    .map(answer -> answer.<Verdict>map(verified -> new Verified(verified, changes.get() != seen))
                            .orElseGet(Refused::new))
                    // a value rather than a failed future: the cache would log each failure with its stack trace
                    .onErrorResume(AuthenticationFailed.class, failure -> Mono.just(new Unavailable(failure)))
                    .toFuture();
        });
    }

    /**
     * What is already known about the key without waiting: its outcome when its verification or refusal is in
     * memory, {@code null} when auth-service has to be asked (then {@link #verify} asks it). The hit path of every
     * request with a key: no Reactor operator, no allocation beyond the key's hash.
     */
    Authenticator.Outcome settled(String apiKey) {
        if (!KEY_SHAPE.matcher(apiKey).matches()) {
            return Authenticator.Outcome.failed(AuthenticationFailed.invalid());
        }
        CompletableFuture<Verdict> verdict = cache.getIfPresent(sha256(apiKey));
        if (verdict == null || !verdict.isDone() || verdict.isCompletedExceptionally()) {
            return null;
        }
        return switch (verdict.getNow(null)) {
            case Verified verified -> verified.outcome();
            case Refused refused -> Authenticator.Outcome.failed(AuthenticationFailed.invalid());
            case Unavailable unavailable -> null;
            case null -> null;
        };
    }

    /** Forgets every verification of the key, at once and for answers still in flight. */
    void evict(String keyId) {
        changes.incrementAndGet();
        for (Map.Entry<String, CompletableFuture<Verdict>> entry : cache.asMap().entrySet()) {
            CompletableFuture<Verdict> future = entry.getValue();
            if (future.isDone() && !future.isCompletedExceptionally()
                    && future.getNow(null) instanceof Verified verified
                    && keyId.equals(verified.verification().keyId())) {
                cache.asMap().remove(entry.getKey(), future);
            }
        }
    }

    /** Forgets everything, e.g. when change notices may have been missed. */
    void evictAll() {
        changes.incrementAndGet();
        cache.synchronous().invalidateAll();
    }

    long size() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }

    private static String sha256(String apiKey) {
        MessageDigest digest = SHA_256.get();
        // digest() resets it for the thread's next key
        return HEX.formatHex(digest.digest(apiKey.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private final class VerdictExpiry implements Expiry<String, Verdict> {

        @Override
        public long expireAfterCreate(String hash, Verdict verdict, long currentTime) {
            return switch (verdict) {
                case Refused refused -> settings.negativeTtl().toNanos();
                case Unavailable unavailable -> 0;
                case Verified verified -> verified.stale() ? 0 : trusted(verified.verification()).toNanos();
            };
        }

        @Override
        public long expireAfterUpdate(String hash, Verdict verdict, long currentTime, long currentDuration) {
            return expireAfterCreate(hash, verdict, currentTime);
        }

        @Override
        public long expireAfterRead(String hash, Verdict verdict, long currentTime, long currentDuration) {
            return currentDuration;
        }

        private Duration trusted(ApiKeyVerification verification) {
            Instant now = clock.instant();
            Duration trusted = settings.maxTtl();
            Duration tokenLeft = Duration.between(now, verification.accessTokenExpiresAt()).minus(settings.expiryMargin());
            if (tokenLeft.compareTo(trusted) < 0) {
                trusted = tokenLeft;
            }
            if (verification.expiresAt() != null) {
                Duration keyLeft = Duration.between(now, verification.expiresAt());
                if (keyLeft.compareTo(trusted) < 0) {
                    trusted = keyLeft;
                }
            }
            return trusted.isNegative() ? Duration.ZERO : trusted;
        }
    }
}
