package io.qnsp.ratelimit.apikey;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
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

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void pinClockOnceListening() {
        // the first subscription to change notices empties the cache; it happens in the background at start-up
        await().atMost(Duration.ofSeconds(30)).until(directory::listening);
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

    @Test
    void keysThatFallDueTogetherAreReloadedTogetherNotOneQueryEach() throws SQLException {
        RateLimitClient api = new RateLimitClient(port);
        int count = 40;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = api.createKey("together-" + i, 5, 20);
            assertThat(api.check(key, 1).getStatusCode().value()).isEqualTo(200);
            keys.add(key);
        }
        DistributionSummary reloads = meters.get(KeyReloads.KEYS_PER_QUERY).summary();
        long queriesBefore = reloads.count();
        double keysBefore = reloads.totalAmount();

        // the table held by a transaction of the test's own, which also changes the keys: the first reload's query
        // waits for it, so no reload can finish, and every key read meanwhile queues behind that query
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (Statement statement = held.createStatement()) {
                statement.execute("LOCK TABLE api_key IN ACCESS EXCLUSIVE MODE");
                assertThat(statement.executeUpdate(
                        "UPDATE api_key SET burst_capacity = 30 WHERE name LIKE 'together-%'")).isEqualTo(count);
            }
            clock.advance(TTL.multipliedBy(6).dividedBy(10));
            for (String key : keys) {
                // each read answers from memory and starts its key's reload
                assertThat(cachedBurst(key)).contains(20);
            }
            held.commit();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String key : keys) {
                assertThat(cachedBurst(key)).contains(30);
            }
        });
        // every key reloaded once; the query that was out alone or with the first few, all the rest in one query
        assertThat(reloads.totalAmount() - keysBefore).isEqualTo(count);
        assertThat(reloads.count() - queriesBefore).isBetween(1L, 2L);
        assertThat(api.check(keys.getLast(), 1).getBody().get("limit").asLong()).isEqualTo(30);
    }

    private Optional<Integer> cachedBurst(String key) {
        Optional<ActiveKey> cached = directory.lookupIfCached(key);
        assertThat(cached).as("the key's entry in memory").isNotNull();
        return cached.map(active -> active.limits().burstCapacity());
    }
}
