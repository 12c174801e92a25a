package io.qnsp.ratelimit.envoy;

import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.ratelimit.ReactiveRateLimiter;
import io.qnsp.ratelimit.apikey.ApiKeyDirectory;
import io.qnsp.ratelimit.usage.UsageCounters;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.util.Optional;

/** Envoy's rate-limit service, on unless {@code qnsp.ratelimit.envoy.enabled} is false. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "qnsp.ratelimit.envoy", name = "enabled", matchIfMissing = true)
class EnvoyRateLimitConfiguration {

    @Bean
    EnvoyRateLimitServer envoyRateLimitServer(EnvoySettings settings, ApiKeyDirectory directory,
                                              ReactiveRateLimiter limiter, UsageCounters counters,
                                              Optional<Clock> clock, MeterRegistry registry) {
        EnvoyRateLimitService service = new EnvoyRateLimitService(new DescriptorRules(settings.domains()), directory,
                limiter, counters, Schedulers.boundedElastic(), settings, clock.orElse(Clock.systemUTC()), registry);
        return new EnvoyRateLimitServer(service, settings);
    }
}
