package io.qnsp.observability;

import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the service's integration tests share: the running service, its clock (released after each test), the
 * platform's streams, and two tenants of their own with a caller each.
 */
@ObservabilityIntegrationTest
public abstract class ObservabilityIntegrationTests {

    @LocalServerPort
    protected int port;

    @Autowired
    protected TestClock clock;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    private EventOutbox outbox;

    @Autowired
    private TransactionTemplate transactions;

    @Autowired
    private StringRedisTemplate redis;

    @Autowired
    private RedisKeys keys;

    protected final String alpha = ObservabilityApi.newTenant();
    protected final String beta = ObservabilityApi.newTenant();
    protected ObservabilityApi alphaApi;
    protected ObservabilityApi betaApi;
    protected PlatformStreams streams;

    @BeforeEach
    void callersAndStreams() {
        alphaApi = ObservabilityApi.tenant(port, alpha);
        betaApi = ObservabilityApi.tenant(port, beta);
        streams = new PlatformStreams(outbox, transactions, jdbc, redis, keys);
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }
}
