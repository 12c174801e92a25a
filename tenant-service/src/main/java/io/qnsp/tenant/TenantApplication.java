package io.qnsp.tenant;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/**
 * tenant-service: a tenant's health (snapshots it records and the platform's own request log), its quota usage and
 * forecasts from the quota counters the platform enforces, onboarding workflows performed through auth-service, and
 * audits of tenant isolation.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TenantApplication {

    public static void main(String[] args) {
        SpringApplication.run(TenantApplication.class, args);
    }

    /** The one clock snapshots, usage history and forecasts follow; tests replace it to move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
