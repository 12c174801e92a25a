package io.qnsp.cryptoinventory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * crypto-inventory-service: the platform's cryptographic assets as a tenant sees them, algorithm deprecation
 * policies and the assets they affect, crypto hardware with its health, and a post-quantum readiness score.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CryptoInventoryApplication {

    public static void main(String[] args) {
        SpringApplication.run(CryptoInventoryApplication.class, args);
    }

    /** The clock deadlines and health checks follow; tests replace it to move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
