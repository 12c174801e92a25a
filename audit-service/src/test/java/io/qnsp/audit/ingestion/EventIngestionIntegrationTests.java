package io.qnsp.audit.ingestion;

import io.qnsp.audit.TestEvents;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit and request-log streams are consumed into their tables, each event exactly once, with its tenant. */
@SpringBootTest
@ActiveProfiles("test")
@EmbeddedInfrastructure
class EventIngestionIntegrationTests {

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventOutbox outbox;

    @Autowired
    TransactionTemplate transactions;

    TestEvents events;

    @BeforeEach
    void setUp() {
        events = new TestEvents(redis, keys, json, jdbc);
    }

    @Test
    void anAuditEventIsStoredWithEveryFieldAndItsTenant() {
        String tenant = "tenant-" + UUID.randomUUID();
        AuditEvent event = TestEvents.audit(tenant, "auth.api_key.created");

        events.publish(event);

        TestEvents.await(() -> events.count("SELECT count(*) FROM audit_event WHERE event_id = ?",
                event.eventId()) == 1, "the audit event");
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM audit_event WHERE event_id = ?", event.eventId());
        assertThat(row.get("tenant_id")).isEqualTo(tenant);
        assertThat(row.get("actor")).isEqualTo("user-1");
        assertThat(row.get("action")).isEqualTo("auth.api_key.created");
        assertThat(row.get("resource_type")).isEqualTo("api_key");
        assertThat(row.get("resource_id")).isEqualTo("key_1");
        assertThat(row.get("outcome")).isEqualTo("success");
        assertThat(row.get("request_id")).isEqualTo("rid-1");
        assertThat(row.get("service")).isEqualTo("auth-service");
        assertThat(((java.sql.Timestamp) row.get("occurred_at")).toInstant()).isEqualTo(event.occurredAt());
        assertThat(row.get("details").toString()).isEqualTo("{\"name\": \"Test\"}");
    }

    @Test
    void aRequestLogEventIsStoredWithEveryFieldAndItsTenant() {
        String tenant = "tenant-" + UUID.randomUUID();
        RequestLogEvent event = TestEvents.request(tenant, Instant.parse("2026-01-15T10:30:00Z"), "POST",
                "/api/v1/keys", 201, 45, "key_abc", false);

        events.publish(event);

        events.awaitRequestLogs(tenant, 1);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM request_log WHERE event_id = ?", event.eventId());
        assertThat(row.get("tenant_id")).isEqualTo(tenant);
        assertThat(row.get("method")).isEqualTo("POST");
        assertThat(row.get("path")).isEqualTo("/api/v1/keys");
        assertThat(row.get("status_code")).isEqualTo(201);
        assertThat(row.get("duration_ms")).isEqualTo(45L);
        assertThat(row.get("key_id")).isEqualTo("key_abc");
        assertThat(row.get("ip_address")).isEqualTo("192.168.1.100");
        assertThat(row.get("user_agent")).isEqualTo("MyApp/1.0");
        assertThat(row.get("rate_limited")).isEqualTo(false);
        assertThat(row.get("request_id")).isEqualTo(event.requestId());
    }

    @Test
    void anEventDeliveredTwiceIsStoredOnceAndBothMessagesAreAcknowledged() {
        String tenant = "tenant-" + UUID.randomUUID();
        AuditEvent audit = TestEvents.audit(tenant, "auth.api_key.revoked");
        RequestLogEvent request = TestEvents.request(tenant, Instant.now(), "GET", "/api/v1/keys", 200, 5, null,
                false);
        events.publish(audit);
        events.publish(audit);
        events.publish(request);
        events.publish(request);
        // Read in order by one reader: once these markers are stored, both copies above have been handled.
        AuditEvent auditMarker = TestEvents.audit(tenant, "marker");
        RequestLogEvent requestMarker = TestEvents.request(tenant, Instant.now(), "GET", "/marker", 200, 1, null,
                false);
        events.publish(auditMarker);
        events.publish(requestMarker);

        TestEvents.await(() -> events.count("SELECT count(*) FROM audit_event WHERE event_id = ?",
                auditMarker.eventId()) == 1, "the audit marker");
        events.awaitRequestLogs(tenant, 2);

        assertThat(events.count("SELECT count(*) FROM audit_event WHERE tenant_id = ?", tenant)).isEqualTo(2);
        assertThat(events.count("SELECT count(*) FROM audit_event WHERE event_id = ?", audit.eventId()))
                .isEqualTo(1);
        assertThat(events.count("SELECT count(*) FROM request_log WHERE tenant_id = ?", tenant)).isEqualTo(2);
        assertThat(events.count("SELECT count(*) FROM request_log WHERE event_id = ?", request.eventId()))
                .isEqualTo(1);
        TestEvents.await(() -> redis.opsForStream().pending(events.streamKey("audit"), "audit-service")
                .getTotalPendingMessages() == 0, "no pending audit messages");
        TestEvents.await(() -> redis.opsForStream().pending(events.streamKey("request-log"), "audit-service")
                .getTotalPendingMessages() == 0, "no pending request-log messages");
    }

    @Test
    void anEventAppendedThroughTheOutboxArrivesOnce() {
        String tenant = "tenant-" + UUID.randomUUID();
        AuditEvent event = TestEvents.audit(tenant, "ratelimit.api_key.created");

        transactions.executeWithoutResult(status -> outbox.append(event));

        TestEvents.await(() -> events.count("SELECT count(*) FROM audit_event WHERE event_id = ?",
                event.eventId()) == 1, "the outbox event");
        assertThat(events.count("SELECT count(*) FROM audit_event WHERE tenant_id = ?", tenant)).isEqualTo(1);
    }
}
