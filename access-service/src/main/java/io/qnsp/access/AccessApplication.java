package io.qnsp.access;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/** access-service: tenant policies evaluated with reasons, change impact analysis, JIT access, cross-tenant analysis. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class AccessApplication {

    public static void main(String[] args) {
        SpringApplication.run(AccessApplication.class, args);
    }

    /** The one clock every decision, grant expiry and record is stamped with; tests replace it to move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
