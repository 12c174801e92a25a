package io.qnsp.common.observability;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Keeps per-request instrumentation to what operators read. Spring Security would otherwise open an observation
 * around every filter of its chain, every authentication and every authorization: a dozen observations (each with
 * its timers) per request, which in a warm profile of ratelimit-service's {@code /v1/check} wrapped most of the
 * request's time. Request metrics ({@code http.server.requests}) and traces of the request itself stay. A service
 * that wants Spring Security's observations declares its own {@link SecurityObservationSettings}.
 */
@AutoConfiguration
@ConditionalOnClass(SecurityObservationSettings.class)
public class ObservabilityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }
}
