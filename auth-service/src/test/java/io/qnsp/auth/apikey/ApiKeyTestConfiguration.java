package io.qnsp.auth.apikey;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The clock the API key tests move forward. */
@TestConfiguration(proxyBeanMethods = false)
class ApiKeyTestConfiguration {

    @Bean
    @Primary
    MutableClock testClock() {
        return new MutableClock();
    }
}
