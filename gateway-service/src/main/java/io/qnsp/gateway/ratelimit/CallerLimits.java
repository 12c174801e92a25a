package io.qnsp.gateway.ratelimit;

import io.qnsp.common.ratelimit.RateLimitBucket;
import io.qnsp.gateway.authentication.AuthenticatedCaller;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The buckets a caller's requests are charged against: {@code key:<id>:m|h|d} with the API key's own limits, or
 * {@code tenant:<id>:…} with the tenant default for JWT callers ({@code sub:<subject>:…} without a tenant); and, when
 * {@code tenant-total} is set, {@code tenant-total:<tenantId>:m}, shared by every caller of the tenant. All of them
 * are charged in one decision, all-or-nothing.
 */
final class CallerLimits {

    private final GatewayRateLimitProperties.Windows tenantDefault;
    private final GatewayRateLimitProperties.TenantTotal tenantTotal;

    CallerLimits(GatewayRateLimitProperties properties) {
        this.tenantDefault = properties.tenantDefault();
        this.tenantTotal = properties.tenantTotal();
    }

    /**
     * Per window, the caller's bucket, shortest window first, then the tenant-wide bucket when there is one; empty
     * when no window is limited.
     */
    Map<LimitWindow, RateLimitBucket> buckets(AuthenticatedCaller caller) {
        boolean key = caller.method() == AuthenticatedCaller.Method.API_KEY && caller.keyId() != null;
        String owner = key ? "key:" + caller.keyId()
                : caller.tenantId() != null ? "tenant:" + caller.tenantId() : "sub:" + caller.subject();
        AuthenticatedCaller.KeyRateLimit own = key ? caller.rateLimit() : null;
        Map<LimitWindow, RateLimitBucket> buckets = new LinkedHashMap<>();
        if (own != null) {
            add(buckets, LimitWindow.MINUTE, owner, own.requestsPerMinute());
            add(buckets, LimitWindow.HOUR, owner, own.requestsPerHour());
            add(buckets, LimitWindow.DAY, owner, own.requestsPerDay());
        } else {
            // a key auth-service reported no limits for still gets the default, in a bucket of its own
            add(buckets, LimitWindow.MINUTE, owner, tenantDefault.requestsPerMinute());
            add(buckets, LimitWindow.HOUR, owner, tenantDefault.requestsPerHour());
            add(buckets, LimitWindow.DAY, owner, tenantDefault.requestsPerDay());
        }
        if (tenantTotal.enabled() && caller.tenantId() != null) {
            add(buckets, LimitWindow.TENANT_MINUTE, "tenant-total:" + caller.tenantId(),
                    tenantTotal.requestsPerMinute());
        }
        return buckets;
    }

    static List<RateLimitBucket> list(Map<LimitWindow, RateLimitBucket> buckets) {
        return new ArrayList<>(buckets.values());
    }

    private static void add(Map<LimitWindow, RateLimitBucket> buckets, LimitWindow window, String owner, Long limit) {
        if (limit != null && limit > 0) {
            buckets.put(window, window.bucket(owner, limit));
        }
    }
}
