package io.qnsp.bench.hello;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Benchmark baseline: the ceiling of ratelimit-service's server stack (Spring MVC on embedded Tomcat, virtual
 * threads, Jackson) with no rate-limit decision behind it. {@code POST /v1/check} does the same JSON work as
 * ratelimit-service's check without touching Redis, so the platform's check is measured against it; the
 * {@code /backend/**} and {@code /api/v1/storage/kpi/**} answers make it the backend of the gateway scenarios
 * (direct, through the platform gateway, through stock Spring Cloud Gateway).
 */
@SpringBootApplication
public class HelloApplication {

    public static void main(String[] args) {
        SpringApplication.run(HelloApplication.class, args);
    }
}
