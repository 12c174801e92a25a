package io.qnsp.gateway.authentication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drops cached key verifications when auth-service announces a change (revoke, rotation, expiry, update) on the Redis
 * channel {@code <prefix>auth:api-key-changed}. Pub/sub is fire and forget, so whenever the subscription is
 * (re)established everything cached is dropped, and {@code max-ttl} bounds what a notice lost in between can cost.
 * The gateway starts and serves without Redis, or with a Redis too slow to answer at start-up: the listener
 * container (which opens its connection when it is built) is built on the first subscription attempt, off the
 * start-up thread, and built again after a failure.
 */
final class ApiKeyChangeListener implements SmartLifecycle {

    static final String CHANNEL = "auth:api-key-changed";

    private static final Logger log = LoggerFactory.getLogger(ApiKeyChangeListener.class);

    private final ReactiveRedisConnectionFactory connections;
    private final String channel;
    private final ApiKeyVerifier verifier;
    private final JsonMapper json = JsonMapper.shared();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean subscribed;
    private volatile Disposable subscription;
    private volatile ReactiveRedisMessageListenerContainer container;

    ApiKeyChangeListener(ReactiveRedisConnectionFactory connections, String channel, ApiKeyVerifier verifier) {
        this.connections = connections;
        this.channel = channel;
        this.verifier = verifier;
    }

    @Override
    public void start() {
        subscription = Mono.fromCallable(this::container)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(current -> current.receiveLater(ChannelTopic.of(channel)))
                .flatMapMany(messages -> {
                    // dropped first: once subscribed() says so, nothing cached before the subscription is left
                    verifier.evictAll();
                    subscribed = true;
                    if (failing.compareAndSet(true, false)) {
                        log.info("Subscribed to {} again; cached API key verifications were dropped", channel);
                    }
                    return messages;
                })
                // a subscription that ended is renewed on a new connection
                .doOnComplete(this::closeContainer)
                .doOnError(this::lost)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
                .repeatWhen(ends -> ends.delayElements(Duration.ofMillis(200)))
                .subscribe(message -> changed(message.getMessage()),
                        failure -> log.error("API key change notices are no longer received", failure));
    }

    private synchronized ReactiveRedisMessageListenerContainer container() {
        ReactiveRedisMessageListenerContainer current = container;
        if (current == null) {
            current = new ReactiveRedisMessageListenerContainer(connections);
            container = current;
        }
        return current;
    }

    private synchronized void closeContainer() {
        ReactiveRedisMessageListenerContainer current = container;
        container = null;
        if (current != null) {
            current.destroyLater().onErrorComplete().subscribe();
        }
    }

    private void lost(Throwable failure) {
        subscribed = false;
        closeContainer();
        if (failing.compareAndSet(false, true)) {
            log.warn("Cannot receive API key change notices on {} ({}); cached verifications expire within"
                    + " qnsp.gateway.auth.key-cache.max-ttl meanwhile, retrying", channel,
                    failure.getClass().getSimpleName());
        }
    }

    private void changed(String notice) {
        String keyId = null;
        try {
            JsonNode node = json.readTree(notice);
            keyId = node.path("keyId").asString(null);
        } catch (RuntimeException unreadable) {
            // fall through: dropping everything is always safe
        }
        if (keyId == null || keyId.isBlank()) {
            log.warn("An API key change notice without a key id; dropping every cached verification");
            verifier.evictAll();
        } else {
            log.debug("API key {} changed; its cached verification is dropped", keyId);
            verifier.evict(keyId);
        }
    }

    /** Whether notices are being received (for tests and health). */
    boolean subscribed() {
        return subscribed;
    }

    @Override
    public void stop() {
        Disposable current = subscription;
        if (current != null) {
            current.dispose();
        }
        subscribed = false;
        closeContainer();
    }

    @Override
    public boolean isRunning() {
        Disposable current = subscription;
        return current != null && !current.isDisposed();
    }
}
