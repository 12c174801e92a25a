package io.qnsp.tenant;

import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.redis.RedisKeys;
import org.awaitility.Awaitility;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The platform's event streams as a test sees them: requests of the gateway's log put on the {@code request-log}
 * stream in its format (through common-lib's outbox and relay, as search-service's tests do), and the audit events
 * the service published read back from the {@code audit} stream.
 */
public final class PlatformStreams {

    private final EventOutbox outbox;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    public PlatformStreams(EventOutbox outbox, TransactionTemplate transactions, JdbcTemplate jdbc,
                           StringRedisTemplate redis, RedisKeys keys) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.redis = redis;
        this.keys = keys;
    }

    public static RequestLogEvent request(String tenant, Instant at, int status, long durationMs) {
        return request(tenant, at, status, durationMs, null, "10.0.0.1");
    }

    /** A request authenticated by the API key (or, when null, by a bearer token from the address). */
    public static RequestLogEvent request(String tenant, Instant at, int status, long durationMs, String keyId,
                                          String address) {
        return new RequestLogEvent(UUID.randomUUID(), at, "GET", "/kms/v1/keys", status, durationMs, keyId, tenant,
                address, "curl/8.5", status == 429, "req-" + UUID.randomUUID());
    }

    /** Puts the requests on the gateway's request-log stream, all in one go. */
    public void log(List<RequestLogEvent> requests) {
        transactions.executeWithoutResult(status -> requests.forEach(outbox::append));
    }

    /** Waits until the service has stored this many logged requests of the tenant. */
    public void awaitCounted(String tenant, long requests) {
        Awaitility.await("requests of " + tenant + " counted").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> jdbc.queryForObject("SELECT count(*) FROM logged_request WHERE tenant_id = ?",
                        Long.class, tenant), counted -> counted == requests);
    }

    /** The audit events published for the tenant so far, oldest first. */
    public List<JsonNode> auditEvents(String tenant) {
        List<JsonNode> events = new ArrayList<>();
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.key("events:audit"),
                Range.unbounded());
        for (MapRecord<String, Object, Object> record : records == null ? List.<MapRecord<String, Object, Object>>of()
                : records) {
            JsonNode event = JsonMapper.shared().readTree((String) record.getValue().get("payload"));
            if (tenant.equals(event.get("tenantId").asString(null))) {
                events.add(event);
            }
        }
        return events;
    }

    /** Waits for the tenant's audit event of that action (and resource, when given) and answers it. */
    public JsonNode awaitAudit(String tenant, String action, String resourceId) {
        return Awaitility.await(action + " audited for " + tenant).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> auditEvents(tenant).stream()
                        .filter(e -> action.equals(e.get("action").asString(null)))
                        .filter(e -> resourceId == null || resourceId.equals(e.get("resourceId").asString(null)))
                        .findFirst(), java.util.Optional::isPresent).orElseThrow();
    }
}
