package io.qnsp.observability;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/**
 * observability-service: cost allocations and budgets with their breach alerts, per-tenant request metrics built from
 * the gateway's request log, anomaly-detection rules evaluated over them on a schedule, and custom dashboards.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ObservabilityApplication {

    public static void main(String[] args) {
        SpringApplication.run(ObservabilityApplication.class, args);
    }

    /** The one clock metrics, anomaly evaluations and cost periods follow; tests replace it to move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
