package io.qnsp.ratelimit.apikey;

import io.qnsp.ratelimit.RateLimitClient;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A key in use is read again in the background once half the cache's time has passed, and never leaves memory while
 * it is used; a key nobody uses still drops out after the full time. The cache's time follows the service's clock,
 * which the test moves; a change written to the database behind the service's back (no change notice) is what a
 * reload, and only a reload, can bring in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "qnsp.ratelimit-service.key-cache-ttl=10m")
@ActiveProfiles("test")
@EmbeddedInfrastructure
@Import(KeyDirectoryRefreshIntegrationTests.Clocks.class)
class KeyDirectoryRefreshIntegrationTests {

    private static final Duration TTL = Duration.ofMinutes(10);

    @TestConfiguration
    static class Clocks {
        @Bean
        TestClock testClock() {
            return new TestClock();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    @Autowired
    ApiKeyDirectory directory;

    @Autowired
    ApiKeyManagement management;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void pinClock() {
        clock.pin(Instant.now());
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    @Test
    void aKeyInUseIsReloadedAfterHalfTheCacheTimeAndNeverLeavesMemory() {
        RateLimitClient api = new RateLimitClient(port);
        String key = api.createKey("busy", 5, 20);
        assertThat(api.check(key, 1).getStatusCode().value()).isEqualTo(200);
        assertThat(cachedBurst(key)).contains(20);

        jdbc.update("UPDATE api_key SET burst_capacity = 30 WHERE key_hash = decode(?, 'base64')",
                management.fingerprintOf(key));
        clock.advance(TTL.multipliedBy(6).dividedBy(10));
        // the entry still answers at once, without waiting for PostgreSQL; this read starts the reload in the
        // background, and Caffeine hands back the new settings when that reload happened to finish before the read
        // returned (a loaded machine can pause the reading thread that long), so either is right here
        assertThat(cachedBurst(key).orElseThrow()).isIn(20, 30);
        assertThat(api.check(key, 1).getStatusCode().value()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cachedBurst(key)).contains(30));

        // 1.2 times the cache time after the key was first read, 0.6 after the reload: still in memory
        clock.advance(TTL.multipliedBy(6).dividedBy(10));
        assertThat(cachedBurst(key)).contains(30);
        assertThat(api.check(key, 1).getBody().get("limit").asLong()).isEqualTo(30);
    }

    @Test
    void aKeyNobodyUsesDropsOutAfterTheFullCacheTime() {
        RateLimitClient api = new RateLimitClient(port);
        String key = api.createKey("idle", 5, 20);
        assertThat(api.check(key, 1).getStatusCode().value()).isEqualTo(200);
        assertThat(cachedBurst(key)).contains(20);

        clock.advance(TTL.plusSeconds(1));

        assertThat(directory.lookupIfCached(key)).isNull();
    }

    private Optional<Integer> cachedBurst(String key) {
        Optional<ActiveKey> cached = directory.lookupIfCached(key);
        assertThat(cached).as("the key's entry in memory").isNotNull();
        return cached.map(active -> active.limits().burstCapacity());
    }
}
