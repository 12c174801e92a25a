package io.qnsp.bench.bucket4j;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Benchmark baseline: the rate-limit check as it is usually built with Bucket4j, the library people would otherwise
 * reach for. {@code POST /v1/check} decides on a per-API-key bucket held in Redis through Bucket4j's
 * compare-and-swap Lettuce proxy manager (GET the state, then a CAS script; retried on contention), on the same
 * server stack as ratelimit-service (Spring MVC, Tomcat, virtual threads). The platform's check is compared with it
 * on the same keys, above all on one hot key where compare-and-swap contends.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class Bucket4jApplication {

    public static void main(String[] args) {
        SpringApplication.run(Bucket4jApplication.class, args);
    }
}
