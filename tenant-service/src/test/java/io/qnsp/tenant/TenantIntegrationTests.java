package io.qnsp.tenant;

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
@TenantIntegrationTest
public abstract class TenantIntegrationTests {

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
    protected StringRedisTemplate redis;

    @Autowired
    protected RedisKeys keys;

    protected final String alpha = TenantApi.newTenant();
    protected final String beta = TenantApi.newTenant();
    protected TenantApi alphaApi;
    protected TenantApi betaApi;
    protected PlatformStreams streams;

    @BeforeEach
    void callersAndStreams() {
        alphaApi = TenantApi.tenant(port, alpha);
        betaApi = TenantApi.tenant(port, beta);
        streams = new PlatformStreams(outbox, transactions, jdbc, redis, keys);
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }
}
