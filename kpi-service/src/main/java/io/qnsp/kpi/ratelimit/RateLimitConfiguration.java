package io.qnsp.kpi.ratelimit;

import io.qnsp.kpi.web.KpiApi;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the tenant rate limits in front of every endpoint of the API, first of its interceptors. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration implements WebMvcConfigurer {

    /** Before the idempotency interceptor: a replayed answer is a request like any other. */
    static final int ORDER = 100;

    private final TenantRateLimits limits;

    RateLimitConfiguration(TenantRateLimits limits) {
        this.limits = limits;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(limits).addPathPatterns(KpiApi.ALL_PATHS).order(ORDER);
    }
}
