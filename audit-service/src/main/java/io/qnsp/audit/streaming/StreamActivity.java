package io.qnsp.audit.streaming;

import io.qnsp.common.redis.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What all instances share in Redis about live streaming: the open SSE streams of each tenant (a sorted set of
 * stream ids scored by when they stop counting unless a heartbeat renews them, so a crashed instance's streams
 * fade out), and per-second counts of events streamed and delivered, for {@code eventsPerSecond}.
 */
@Component
class StreamActivity {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final StreamingSettings settings;

    StreamActivity(StringRedisTemplate redis, RedisKeys keys, StreamingSettings settings) {
        this.redis = redis;
        this.keys = keys;
        this.settings = settings;
    }

    /** Counts the stream as open until {@code connection-ttl} from now. */
    void alive(String tenantKey, String streamId, long nowMillis) {
        String key = connections(tenantKey);
        redis.opsForZSet().add(key, streamId, nowMillis + settings.connectionTtl().toMillis());
        redis.expire(key, settings.connectionTtl().multipliedBy(2));
    }

    void closed(String tenantKey, String streamId) {
        redis.opsForZSet().remove(connections(tenantKey), streamId);
    }

    long openStreams(String tenantKey, long nowMillis) {
        String key = connections(tenantKey);
        redis.opsForZSet().removeRangeByScore(key, Double.NEGATIVE_INFINITY, nowMillis);
        Long count = redis.opsForZSet().zCard(key);
        return count == null ? 0 : count;
    }

    void counted(String tenantKey, long epochSecond, long count) {
        String key = rate(tenantKey, epochSecond);
        redis.opsForValue().increment(key, count);
        redis.expire(key, settings.rateWindow().multipliedBy(2).plus(Duration.ofSeconds(10)));
    }

    /** The events counted in each second from {@code fromSecond} to {@code toSecond}, both included. */
    long countedBetween(String tenantKey, long fromSecond, long toSecond) {
        List<String> names = new ArrayList<>();
        for (long second = fromSecond; second <= toSecond; second++) {
            names.add(rate(tenantKey, second));
        }
        List<String> values = redis.opsForValue().multiGet(names);
        long total = 0;
        if (values != null) {
            for (String value : values) {
                if (value != null) {
                    total += Long.parseLong(value);
                }
            }
        }
        return total;
    }

    private String connections(String tenantKey) {
        return keys.key("audit:streaming:connections:" + tenantKey);
    }

    private String rate(String tenantKey, long epochSecond) {
        return keys.key("audit:streaming:rate:" + tenantKey + ":" + epochSecond);
    }
}
