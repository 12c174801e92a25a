package io.qnsp.access.policy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The version of what a tenant's decisions depend on (its policies and JIT grants). Each change raises the counter
 * in PostgreSQL in its own transaction, and once that has committed the new value is published to Redis, where every
 * instance reads it before it trusts its cached copy. Redis only ever moves forward (a script keeps the greater
 * value), so a late or repeated publication cannot make an instance take an old copy for a current one.
 * <p>
 * A publication that fails (this instance cannot reach Redis, though others may already) is kept and tried again
 * every {@code qnsp.access.decisions.republish-interval} until Redis takes it, so a change committed while this
 * instance was cut off from Redis reaches the other instances soon after it is back, not only when their copies
 * reach {@code cache-max-age}.
 */
@Component
public class PolicyVersions {

    private static final Logger log = LoggerFactory.getLogger(PolicyVersions.class);

    private static final RedisScript<Long> RAISE = new DefaultRedisScript<>(
            "local current = redis.call('GET', KEYS[1]) "
                    + "if (not current) or tonumber(current) < tonumber(ARGV[1]) then "
                    + "redis.call('SET', KEYS[1], ARGV[1]) return 1 end return 0", Long.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    /** Per tenant, the greatest version whose publication failed and has not been made since. */
    private final ConcurrentMap<String, Long> unpublished = new ConcurrentHashMap<>();

    PolicyVersions(NamedParameterJdbcTemplate jdbc, StringRedisTemplate redis, RedisKeys keys, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.keys = keys;
        Gauge.builder("access.policy_versions.unpublished", unpublished, Map::size)
                .description("tenants whose latest policy version Redis has not taken yet (retried until it does)")
                .register(meters);
    }

    /**
     * Raises the tenant's version within the current transaction (which also serializes the tenant's changes) and
     * publishes it once that transaction commits.
     */
    public long raise(String tenantId) {
        Long version = jdbc.queryForObject("INSERT INTO access_tenant_version (tenant_id, version) VALUES (:tenant, 1) "
                + "ON CONFLICT (tenant_id) DO UPDATE SET version = access_tenant_version.version + 1 "
                + "RETURNING version", new MapSqlParameterSource("tenant", tenantId), Long.class);
        long raised = version == null ? 0 : version;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    publish(tenantId, raised);
                }
            });
        } else {
            publish(tenantId, raised);
        }
        return raised;
    }

    /** The tenant's version in the database (0 before its first change). */
    public long stored(String tenantId) {
        List<Long> version = jdbc.queryForList("SELECT version FROM access_tenant_version WHERE tenant_id = :tenant",
                new MapSqlParameterSource("tenant", tenantId), Long.class);
        return version.isEmpty() ? 0 : version.getFirst();
    }

    /**
     * The version published in Redis, or {@code null} when none is (yet, or any more) or Redis cannot be reached:
     * then no cached copy can be trusted.
     */
    public @Nullable Long published(String tenantId) {
        try {
            String value = redis.opsForValue().get(key(tenantId));
            return value == null ? null : Long.parseLong(value);
        } catch (RuntimeException e) {
            log.debug("policy version of tenant {} unreadable from Redis: {}", tenantId, e.toString());
            return null;
        }
    }

    /**
     * Publishes the version unless Redis already holds a greater one. A failure is logged and the version kept, to be
     * published by {@link #publishUnpublished()}.
     */
    public void publish(String tenantId, long version) {
        try {
            raiseInRedis(tenantId, version);
        } catch (RuntimeException e) {
            unpublished.merge(tenantId, version, Math::max);
            log.warn("could not publish policy version {} of tenant {}, trying again until Redis takes it: {}",
                    version, tenantId, e.toString());
        }
    }

    /** Publishes every version whose publication failed; stops at the first failure (Redis is still away). */
    @Scheduled(fixedDelayString = "${qnsp.access.decisions.republish-interval:500ms}")
    void publishUnpublished() {
        for (Map.Entry<String, Long> pending : unpublished.entrySet()) {
            try {
                raiseInRedis(pending.getKey(), pending.getValue());
            } catch (RuntimeException e) {
                log.debug("policy versions still unpublished ({}): {}", unpublished.size(), e.toString());
                return;
            }
            log.info("published policy version {} of tenant {} after Redis was unreachable", pending.getValue(),
                    pending.getKey());
        }
    }

    private void raiseInRedis(String tenantId, long version) {
        redis.execute(RAISE, List.of(key(tenantId)), Long.toString(version));
        // a version at least as great is now in Redis: nothing older for this tenant needs publishing any more
        unpublished.computeIfPresent(tenantId, (tenant, pending) -> pending <= version ? null : pending);
    }

    private String key(String tenantId) {
        return keys.key("access:policy-version:" + tenantId);
    }
}
