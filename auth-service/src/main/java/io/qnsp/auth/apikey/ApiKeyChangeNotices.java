package io.qnsp.auth.apikey;

import io.qnsp.common.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells gateways at once, after commit, that a key's verification changed: a JSON notice
 * {@code {"eventId","keyId","tenantId","change"}} on the Redis channel {@link ApiKeyEvent#CHANNEL}. Pub/sub is
 * fire-and-forget; the same change is on the outbox stream for consumers that must not miss it.
 */
@Component
class ApiKeyChangeNotices {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyChangeNotices.class);

    private final ObjectProvider<StringRedisTemplate> redis;
    private final String channel;
    private final JsonMapper json = JsonMapper.shared();

    ApiKeyChangeNotices(ObjectProvider<StringRedisTemplate> redis, RedisKeys keys) {
        this.redis = redis;
        this.channel = keys.key(ApiKeyEvent.CHANNEL);
    }

    String channel() {
        return channel;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void afterCommit(ApiKeyEvent event) {
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("eventId", event.eventId().toString());
        notice.put("keyId", event.keyId());
        notice.put("tenantId", event.tenantId());
        notice.put("change", event.change());
        StringRedisTemplate template = redis.getIfAvailable();
        if (template == null) {
            return;
        }
        try {
            template.convertAndSend(channel, json.writeValueAsString(notice));
        } catch (RuntimeException e) {
            log.warn("could not send the {} notice for key {} ({}); the outbox stream still carries it",
                    event.change(), event.keyId(), e.getClass().getSimpleName());
        }
    }
}
