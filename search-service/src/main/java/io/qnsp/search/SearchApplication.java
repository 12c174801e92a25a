package io.qnsp.search;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/**
 * search-service: a per-tenant full-text index over the platform's audit events, request logs, API keys and secrets
 * metadata, fed from the event streams, with synonyms, search analytics, index health, maintenance windows and
 * isolation verification.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class SearchApplication {

    public static void main(String[] args) {
        SpringApplication.run(SearchApplication.class, args);
    }

    /** The one clock queries, clicks and maintenance windows follow; tests replace it to move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
