package io.qnsp.securitymonitoring;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service over real HTTP, on real PostgreSQL and Redis, calling the platform's services on
 * {@link TestPlatform}; every class extending it shares one application context, and each test works in tenants of
 * its own. Audit events reach the service as the platform publishes them: through common-lib's outbox onto the
 * {@code audit} stream.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
public abstract class SecurityMonitoringIntegrationTests {

    protected static final TestPlatform PLATFORM = TestPlatform.instance();
    protected static final String GROUP = "security-monitoring-service";

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    EventOutbox outbox;
    @Autowired
    TransactionTemplate transactions;

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("qnsp.security-monitoring.auth-url", PLATFORM::url);
        registry.add("qnsp.security-monitoring.kms-url", PLATFORM::url);
        registry.add("qnsp.security-monitoring.vault-url", PLATFORM::url);
        registry.add("qnsp.security-monitoring.audit-url", PLATFORM::url);
        registry.add("qnsp.security-monitoring.gateway-url", PLATFORM::url);
    }

    protected static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A caller of the tenant with security monitoring's scopes and those of the services it acts through. */
    protected ServiceApi owner(String tenant) {
        return ServiceApi.of(port, tenant, "owner", SecurityScopes.READ, SecurityScopes.WRITE, "read:keys",
                "write:keys", "kms:read", "kms:write", "vault:write", "read:webhooks");
    }

    protected static void assertField(ResponseEntity<JsonNode> response, String field) {
        JsonNode error = expect(response, 400);
        assertThat(error.toString()).contains(field);
        assertThat(error.get("statusCode").asInt()).isEqualTo(400);
    }

    /** Publishes an audit event as a platform service does (outbox, relayed to the audit stream). */
    protected AuditEvent publish(String tenant, String action, String resourceType, String resourceId,
                                 String outcome, Map<String, String> details) {
        return publishAs("gateway", tenant, action, resourceType, resourceId, outcome, details);
    }

    /** As {@link #publish}, for an event whose actor is the principal given. */
    protected AuditEvent publishAs(String actor, String tenant, String action, String resourceType,
                                   String resourceId, String outcome, Map<String, String> details) {
        AuditEvent event = new AuditEvent(UUID.randomUUID(), Instant.now(), tenant, actor, action, resourceType,
                resourceId, outcome, "req-" + UUID.randomUUID(), action.substring(0, action.indexOf('.'))
                + "-service", details);
        transactions.executeWithoutResult(status -> outbox.append(event));
        return event;
    }

    /** Waits until the service has handled the event (its id is recorded as consumed by the service's group). */
    protected void awaitConsumed(AuditEvent event) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM qnsp_consumed_event WHERE consumer_group = ? "
                        + "AND event_id = ?", Integer.class, GROUP, event.eventId()) == 1);
    }

    /** Waits for the execution's status to satisfy the condition and returns it with its steps. */
    protected JsonNode awaitExecution(ServiceApi api, String executionId, Predicate<String> status) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(
                () -> expect(api.get("/security/v1/playbooks/executions/" + executionId), 200),
                execution -> status.test(execution.get("status").asString()));
    }
}
