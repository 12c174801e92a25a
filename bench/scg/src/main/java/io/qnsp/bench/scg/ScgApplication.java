package io.qnsp.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/**
 * Benchmark baseline: a stock Spring Cloud Gateway, the gateway people would otherwise deploy. One route sends
 * everything to {@code bench.backend-uri} through the stock {@code RequestRateLimiter} filter with the stock
 * {@code RedisRateLimiter} (its own Lua script, one bucket per {@code X-API-Key}); the platform gateway's
 * API key + rate limit + proxy path is compared with it. Configured entirely in {@code application.yml}, as
 * the Spring Cloud Gateway documentation does it.
 */
@SpringBootApplication
public class ScgApplication {

    /** The key of requests without the header: they share one bucket instead of the stock 403 for an empty key. */
    static final String ANONYMOUS = "anonymous";

    public static void main(String[] args) {
        SpringApplication.run(ScgApplication.class, args);
    }

    /** The rate-limit key: the caller's API key. */
    @Bean
    KeyResolver apiKeyResolver() {
        return exchange -> {
            String apiKey = exchange.getRequest().getHeaders().getFirst("X-API-Key");
            return Mono.just(apiKey == null || apiKey.isBlank() ? ANONYMOUS : apiKey);
        };
    }
}
