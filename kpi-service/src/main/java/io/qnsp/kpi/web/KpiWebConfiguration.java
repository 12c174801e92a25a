package io.qnsp.kpi.web;

import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorResponseWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service's error writer, in place of common-lib's (which steps aside for it). */
@Configuration(proxyBeanMethods = false)
class KpiWebConfiguration {

    @Bean
    ErrorResponseWriter errorResponseWriter(ApiFamilies families) {
        return new KpiErrorResponseWriter(families);
    }
}
