package io.qnsp.kpi.idempotency;

import io.qnsp.kpi.web.KpiApi;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Clock;

/** Honours {@code X-Request-Id} as an idempotency key on every endpoint of the API. */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration implements WebMvcConfigurer {

    /** After the rate limits' interceptor: a replayed answer is charged like any request. */
    static final int ORDER = 200;

    private final IdempotentReplies replies;

    IdempotencyConfiguration(IdempotentRequests requests, IdempotencySettings settings, Clock clock) {
        this.replies = new IdempotentReplies(requests, settings, clock);
    }

    @Bean
    FilterRegistrationBean<RequestBuffering> kpiRequestBuffering() {
        FilterRegistrationBean<RequestBuffering> registration = new FilterRegistrationBean<>(new RequestBuffering());
        registration.addUrlPatterns(KpiApi.BASE + "/*");
        // behind Spring Security's chain: only authenticated requests are buffered
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(replies).addPathPatterns(KpiApi.ALL_PATHS).order(ORDER);
    }
}
