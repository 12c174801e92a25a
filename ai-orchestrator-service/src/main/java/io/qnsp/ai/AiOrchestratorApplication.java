package io.qnsp.ai;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * ai-orchestrator-service: a tenant's model registry and deployments, cost analytics and recommendations from the
 * usage recorded for its models, bias evaluations over datasets it supplies, and prompt-injection detection with
 * patterns of its own.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AiOrchestratorApplication {

    public static void main(String[] args) {
        SpringApplication.run(AiOrchestratorApplication.class, args);
    }

    /** The clock timestamps and cost periods follow; tests replace it to move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
