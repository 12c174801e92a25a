package io.qnsp.tenant.quota;

import io.qnsp.common.controls.ControlsProperties;
import io.qnsp.common.controls.QuotaWindow;
import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.common.security.Caller;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;

/**
 * Reads the quota counters common-lib's quota control keeps in Redis and enforces ({@code @RequiredControls(quota)}):
 * one counter per tenant, resource and window, named {@code <prefix>quota:<tenant>:<resource>:<window>}, and the
 * limits that control applies: the tenant's own limit from its token, else its plan's, else the {@code default}
 * plan's ({@code qnsp.controls.quota}). Nothing here writes a counter.
 */
@Component
public class QuotaCounters {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final ControlsProperties controls;
    private final Clock clock;

    QuotaCounters(StringRedisTemplate redis, RedisKeys keys, ControlsProperties controls, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.controls = controls;
        this.clock = clock;
    }

    public QuotaWindow window() {
        return controls.quotaWindow();
    }

    /** The window the counters count in now, e.g. {@code 2026-03}. */
    public String currentWindow() {
        return controls.quotaWindow().windowOf(clock.instant());
    }

    public String windowOf(Instant instant) {
        return controls.quotaWindow().windowOf(instant);
    }

    /** Units the tenant used of the resource in the current window. */
    public long used(String tenantId, String resource) {
        String value;
        try {
            value = redis.opsForValue().get(keys.key("quota:" + tenantId + ":" + resource + ":" + currentWindow()));
        } catch (DataAccessException e) {
            throw new CountersUnavailable();
        }
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Redis, where the counters are, cannot be reached: the answer would be a guess, so there is none (503). */
    static final class CountersUnavailable extends ApiException {

        CountersUnavailable() {
            super(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE,
                    "The quota counters cannot be read right now; try again shortly");
        }
    }

    /** The caller's limit for the resource, {@code null} when unlimited. */
    public @Nullable Long limit(Caller caller, String resource) {
        Long own = caller.quotas().get(resource);
        return own != null ? own : controls.limit(caller.plan(), resource);
    }

    /** The resources the caller's plan (or the default plan) limits. */
    public java.util.Set<String> limitedResources(Caller caller) {
        java.util.Set<String> resources = new java.util.LinkedHashSet<>(caller.quotas().keySet());
        java.util.Map<String, Long> defaults = controls.quota().get(ControlsProperties.DEFAULT_PLAN);
        if (defaults != null) {
            resources.addAll(defaults.keySet());
        }
        if (caller.plan() != null && controls.quota().get(caller.plan()) != null) {
            resources.addAll(controls.quota().get(caller.plan()).keySet());
        }
        return resources;
    }
}
