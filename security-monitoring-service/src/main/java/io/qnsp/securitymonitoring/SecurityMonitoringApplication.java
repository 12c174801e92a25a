package io.qnsp.securitymonitoring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * security-monitoring-service: automated response playbooks triggered by the platform's audit events and acting
 * through its services, attack-surface analysis of the platform as deployed, and compliance controls assessed against
 * the evidence the platform holds.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SecurityMonitoringApplication {

    public static void main(String[] args) {
        SpringApplication.run(SecurityMonitoringApplication.class, args);
    }

    /** The clock trigger windows and key ages follow. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
