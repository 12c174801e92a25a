package io.qnsp.ratelimit.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.ratelimit.RateLimitSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Finds a presented key's settings for runtime checks without a database query per check. Entries are dropped
 * the moment a key changes: locally after commit, and on every other instance through a Redis channel. If a
 * notice is lost (Redis away), an entry still expires after {@code key-cache-ttl}.
 */
@Component
public class ApiKeyDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyDirectory.class);

    private final ApiKeyManagement management;
    private final StringRedisTemplate redis;
    private final String channel;
    private final Cache<String, Optional<ActiveKey>> entries;
    private final RedisMessageListenerContainer listener;

    ApiKeyDirectory(ApiKeyManagement management, StringRedisTemplate redis, RedisConnectionFactory connections,
                    RedisKeys redisKeys, RateLimitSettings settings) {
        this.management = management;
        this.redis = redis;
        this.channel = redisKeys.key("ratelimit:key-changed");
        this.entries = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(settings.keyCacheTtl())
                .build();
        this.listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(connections);
        listener.addMessageListener((MessageListener) (message, pattern) ->
                entries.invalidate(new String(message.getBody(), StandardCharsets.UTF_8)), new ChannelTopic(channel));
        listener.afterPropertiesSet();
        listener.start();
    }

    /** The key's runtime settings, or empty for a key that does not exist. */
    public Optional<ActiveKey> lookup(String apiKey) {
        return entries.get(management.fingerprintOf(apiKey), fingerprint -> management.resolve(apiKey));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ApiKeyChanged changed) {
        entries.invalidate(changed.fingerprint());
        try {
            redis.convertAndSend(channel, changed.fingerprint());
        } catch (RuntimeException e) {
            log.warn("could not notify other instances of a key change ({}); their cached entry expires on its own",
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() throws Exception {
        listener.stop();
        listener.destroy();
    }
}
