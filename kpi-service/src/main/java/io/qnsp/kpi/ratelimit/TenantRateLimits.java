package io.qnsp.kpi.ratelimit;

import io.qnsp.common.ratelimit.BucketLimits;
import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.common.ratelimit.RateLimiter;
import io.qnsp.common.ratelimit.RateLimiterUnavailable;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.Callers;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Charges each request of a tenant one token of the tenant's bucket for the endpoint, on the platform's token-bucket
 * engine (common-lib's {@link RateLimiter}: one Redis round trip, shared by every instance); a request the bucket
 * cannot pay for is refused with 429 {@code rate_limited} and {@code Retry-After}. Callers without a tenant are
 * refused by the endpoints themselves and are not charged.
 */
@Component
class TenantRateLimits implements HandlerInterceptor {

    private final RateLimiter limiter;
    private final RateLimitSettings settings;
    private final Map<Method, String> endpoints = new ConcurrentHashMap<>();

    TenantRateLimits(RateLimiter limiter, RateLimitSettings settings) {
        this.limiter = limiter;
        this.settings = settings;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        String tenant = Callers.current().map(Caller::tenantId).orElse(null);
        if (tenant == null || tenant.isBlank()) {
            return true;
        }
        String endpoint = endpoints.computeIfAbsent(method.getMethod(), TenantRateLimits::endpointOf);
        BucketLimits limits = settings.limitsOf(endpoint);
        RateLimitDecision decision;
        try {
            decision = limiter.tryConsume(bucketId(tenant, endpoint), limits, 1);
        } catch (RateLimiterUnavailable e) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            throw new RateLimitsUnavailable();
        }
        if (!decision.allowed()) {
            long retryAfter = Math.max(1, ceilSeconds(decision.retryAfter()));
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
            throw new TenantRateLimited(endpoint, limits.tokensPerSecond(), limits.capacity(), retryAfter);
        }
        return true;
    }

    /** The endpoint's name: its operation id, as in the API document and in {@code qnsp.kpi.rate-limit.endpoints}. */
    static String endpointOf(Method method) {
        Operation operation = method.getAnnotation(Operation.class);
        return operation != null && !operation.operationId().isBlank() ? operation.operationId() : method.getName();
    }

    /** The endpoint is last: operation ids hold no colon, so no tenant id can make two buckets' ids equal. */
    static String bucketId(String tenant, String endpoint) {
        return "kpi:" + tenant + ":" + endpoint;
    }

    private static long ceilSeconds(Duration duration) {
        long millis = duration.toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
