package io.qnsp.common.controls;

import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Clock;
import java.util.List;

/**
 * Per-tenant quota counters in Redis, one key per tenant, resource and window. A call takes a unit up front
 * (atomically, so concurrent calls cannot overshoot the limit) and gives it back if it fails, so only successful
 * calls stay counted. While Redis cannot be reached, {@code qnsp.controls.quota-failure-mode} decides: by default the
 * call goes through uncounted (counted in the metric {@code qnsp.controls.quota.uncounted} instead), so an outage of
 * Redis does not stop every write; {@code fail-closed} refuses it with 503.
 */
class QuotaCounter {

    private static final Logger log = LoggerFactory.getLogger(QuotaCounter.class);

    /** Takes one unit unless that would pass the limit (ARGV[1], negative for none); -1 when refused. */
    private static final RedisScript<Long> TAKE = RedisScript.of("""
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            local limit = tonumber(ARGV[1])
            if limit >= 0 and count > limit then
              redis.call('DECR', KEYS[1])
              return -1
            end
            return count
            """, Long.class);

    private static final RedisScript<Long> GIVE_BACK = RedisScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
            return 0
            """, Long.class);

    private final ObjectProvider<StringRedisTemplate> redis;
    private final ObjectProvider<RedisKeys> keys;
    private final ObjectProvider<MeterRegistry> meters;
    private final ControlsProperties properties;
    private final Clock clock;

    QuotaCounter(ObjectProvider<StringRedisTemplate> redis, ObjectProvider<RedisKeys> keys,
                 ObjectProvider<MeterRegistry> meters, ControlsProperties properties, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.meters = meters;
        this.properties = properties;
        this.clock = clock;
    }

    /** A unit taken from a tenant's quota, to be given back if the call fails. */
    interface Unit {
        void giveBack();
    }

    Unit take(String tenantId, String plan, String resource, Long tenantLimit) {
        // the tenant's own limit (from its token) wins over its plan's
        Long limit = tenantLimit != null ? tenantLimit : properties.limit(plan, resource);
        String window = properties.quotaWindow().windowOf(clock.instant());
        String key = key(tenantId, resource, window);
        StringRedisTemplate template = redis.getIfAvailable();
        if (template == null) {
            throw new IllegalStateException("quota '" + resource + "' needs Redis, but no StringRedisTemplate exists");
        }
        Long count;
        try {
            count = template.execute(TAKE, List.of(key), String.valueOf(limit == null ? -1 : limit),
                    String.valueOf(properties.quotaWindow().retention().toMillis()));
        } catch (DataAccessException e) {
            if (properties.quotaFailureMode() == ControlsProperties.QuotaFailureMode.FAIL_CLOSED) {
                log.warn("Quota counter unavailable for resource {}, call refused: {}", resource, e.toString());
                throw ControlDenied.quotaUnavailable();
            }
            log.warn("Quota counter unavailable for resource {}, call let through uncounted: {}", resource,
                    e.toString());
            meters.ifAvailable(registry -> registry.counter("qnsp.controls.quota.uncounted", "resource", resource)
                    .increment());
            return () -> {
                // nothing was taken
            };
        }
        if (count == null || count < 0) {
            throw ControlDenied.quotaExceeded(resource, limit == null ? 0 : limit, window);
        }
        return () -> {
            try {
                template.execute(GIVE_BACK, List.of(key));
            } catch (DataAccessException e) {
                log.warn("Could not give back a quota unit for resource {}: {}", resource, e.toString());
            }
        };
    }

    /** Units used by the tenant in the current window. */
    long used(String tenantId, String resource) {
        String value = redis.getObject().opsForValue()
                .get(key(tenantId, resource, properties.quotaWindow().windowOf(clock.instant())));
        return value == null ? 0 : Long.parseLong(value);
    }

    private String key(String tenantId, String resource, String window) {
        RedisKeys redisKeys = keys.getIfAvailable(() -> new RedisKeys(""));
        return redisKeys.key("quota:" + tenantId + ":" + resource + ":" + window);
    }
}
