package io.qnsp.gateway.web;

import io.qnsp.test.infra.TestRedis;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.UUID;

/** Fixtures for tests that run the whole gateway on a random port against stub backends. */
public final class TestGateway {

    private TestGateway() {
    }

    /** Points the gateway at a Redis under a key prefix of its own. */
    public static void redis(DynamicPropertyRegistry registry, TestRedis redis) {
        registry.add("spring.data.redis.url", () -> "redis://" + redis.host() + ":" + redis.port());
        String prefix = "gw" + UUID.randomUUID().toString().substring(0, 8) + ":";
        registry.add("qnsp.redis.key-prefix", () -> prefix);
    }

    /** Points every route of the routing table at the backend. */
    public static void allRoutesTo(DynamicPropertyRegistry registry, String url) {
        for (String service : new String[]{"AUTH", "ACCESS", "KMS", "VAULT", "STORAGE", "KPI", "RATELIMIT", "BILLING",
                "AUDIT"}) {
            registry.add("QNSP_" + service + "_URL", () -> url);
        }
    }

    /** A client of the running gateway that gives up well after any bound the gateway itself keeps. */
    public static WebTestClient client(int port) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(8))
                .build();
    }
}
