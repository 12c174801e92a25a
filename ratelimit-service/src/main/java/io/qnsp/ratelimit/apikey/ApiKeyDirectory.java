package io.qnsp.ratelimit.apikey;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.ratelimit.RateLimitSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds a presented key's settings for runtime checks without a database query per check. Entries are dropped
 * the moment a key changes: locally after commit, and on every other instance through a Redis channel. Notices
 * cannot be lost for long: a notice that could not be published is published again every second until Redis takes
 * it, and every time the channel is (re)subscribed, after Redis was away, every entry is dropped, since notices
 * may have been missed meanwhile. {@code key-cache-ttl} bounds what is left (a notice lost some other way). A key in
 * use is read again in the background once half of {@code key-cache-ttl} has passed, while its entry keeps serving,
 * so a busy key never drops out of memory and no check waits for PostgreSQL because an entry grew old; keys that
 * fall due together are read together ({@link KeyReloads}). The service
 * starts and serves without Redis; the channel is subscribed in the background once Redis can be reached.
 */
@Component
public class ApiKeyDirectory implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyDirectory.class);
    private static final Duration MAX_SUBSCRIBE_RETRY = Duration.ofSeconds(5);
    // fingerprints of changed keys whose notice waits for Redis; beyond this, the cache expiry has to do
    private static final int MAX_UNSENT_NOTICES = 100_000;

    private final ApiKeyManagement management;
    private final StringRedisTemplate redis;
    private final String channel;
    private final LoadingCache<String, Optional<ActiveKey>> entries;
    private final RedisConnectionFactory connections;
    private final Duration subscribeRetry;
    private final Set<String> unsentNotices = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean everSubscribed = new AtomicBoolean();
    private volatile boolean running;
    private volatile RedisMessageListenerContainer listener;
    private Thread subscriber;

    ApiKeyDirectory(ApiKeyManagement management, StringRedisTemplate redis, RedisConnectionFactory connections,
                    RedisKeys redisKeys, RateLimitSettings settings, Optional<Clock> clock, MeterRegistry registry) {
        this.management = management;
        this.redis = redis;
        this.channel = redisKeys.key("ratelimit:key-changed");
        this.entries = Caffeine.newBuilder()
                .maximumSize(100_000)
                .ticker(clock.<Ticker>map(c -> () -> c.millis() * 1_000_000L).orElse(Ticker.systemTicker()))
                // a refresh whose entry is dropped meanwhile (a change notice) is discarded, never stored
                .refreshAfterWrite(settings.keyCacheTtl().dividedBy(2))
                .expireAfterWrite(settings.keyCacheTtl())
                .build(new KeyReloads(management, registry));
        this.connections = connections;
        this.subscribeRetry = min(settings.keyCacheTtl().dividedBy(2), MAX_SUBSCRIBE_RETRY);
    }

    /** The key's runtime settings, or empty for a key that does not exist. */
    public Optional<ActiveKey> lookup(String apiKey) {
        return entries.get(management.fingerprintOf(apiKey), fingerprint -> management.resolve(apiKey));
    }

    /**
     * The key's runtime settings if they are in memory (empty inside for a key known not to exist), or {@code null}
     * when only {@link #lookup} can tell, by reading PostgreSQL; never blocks.
     */
    public @Nullable Optional<ActiveKey> lookupIfCached(String apiKey) {
        return entries.getIfPresent(management.fingerprintOf(apiKey));
    }

    /**
     * Whether change notices of other instances have been listened for: before the first subscription the cache may
     * still be emptied by it, after it only by a later one (after Redis was away).
     */
    boolean listening() {
        return everSubscribed.get();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ApiKeyChanged changed) {
        entries.invalidate(changed.fingerprint());
        if (!publish(changed.fingerprint())) {
            if (unsentNotices.size() < MAX_UNSENT_NOTICES) {
                unsentNotices.add(changed.fingerprint());
            }
            log.warn("could not notify other instances of a key change; the notice is sent again once Redis answers");
        }
    }

    /** Sends the notices Redis did not take before; stops at the first one it still refuses. */
    @Scheduled(fixedDelay = 1_000)
    void publishUnsentNotices() {
        for (String fingerprint : unsentNotices) {
            if (!publish(fingerprint)) {
                return;
            }
            unsentNotices.remove(fingerprint);
        }
    }

    private boolean publish(String fingerprint) {
        try {
            redis.convertAndSend(channel, fingerprint);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Notices for the channel; every (re)subscription drops every entry, as notices may have been missed. */
    private final class ChangeNotices implements MessageListener, SubscriptionListener {

        @Override
        public void onMessage(Message message, byte[] pattern) {
            entries.invalidate(new String(message.getBody(), StandardCharsets.UTF_8));
        }

        @Override
        public void onChannelSubscribed(byte[] subscribedChannel, long count) {
            entries.invalidateAll();
            if (everSubscribed.getAndSet(true)) {
                log.info("subscribed to key changes again; cached keys were dropped");
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        subscriber = Thread.ofVirtual().name("key-change-subscriber").start(this::subscribeUntilListening);
    }

    private void subscribeUntilListening() {
        boolean warned = false;
        while (running) {
            RedisMessageListenerContainer container = new RedisMessageListenerContainer();
            try {
                container.setConnectionFactory(connections);
                container.addMessageListener(new ChangeNotices(), new ChannelTopic(channel));
                container.afterPropertiesSet();
                container.start();
                listener = container;
                if (warned) {
                    log.info("listening for key changes of other instances again");
                }
                return;
            } catch (RuntimeException e) {
                destroy(container);
                if (!warned) {
                    log.warn("cannot listen for key changes of other instances yet ({}); cached keys expire after {}",
                            e.getClass().getSimpleName(), subscribeRetry.multipliedBy(2));
                    warned = true;
                }
                try {
                    Thread.sleep(subscribeRetry);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (subscriber != null) {
            subscriber.interrupt();
        }
        RedisMessageListenerContainer container = listener;
        if (container != null) {
            destroy(container);
            listener = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void destroy(RedisMessageListenerContainer container) {
        try {
            container.stop();
            container.destroy();
        } catch (Exception e) {
            log.debug("closing the key-change listener failed", e);
        }
    }
}
