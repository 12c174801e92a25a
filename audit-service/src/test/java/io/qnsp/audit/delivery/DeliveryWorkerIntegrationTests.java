package io.qnsp.audit.delivery;

import io.qnsp.audit.WebhookReceiver;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The delivery queue against a real receiver: signing, retries with backoff, giving up, and transactions. */
@SpringBootTest
@ActiveProfiles("test")
@EmbeddedInfrastructure
@TestPropertySource(properties = "qnsp.audit.deliveries.max-attempts=3")
class DeliveryWorkerIntegrationTests {

    private static final String KIND = "test-owner";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    Deliveries deliveries;

    @Autowired
    TestOwner owner;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    String secret;
    WebhookReceiver receiver;
    String ownerId;

    @BeforeEach
    void setUp() {
        secret = WebhookSignature.newSecret();
        receiver = WebhookReceiver.start(secret);
        ownerId = "owner-" + UUID.randomUUID();
        owner.destinations.put(ownerId, new WebhookDestination(URI.create(receiver.url()), secret,
                Map.of("X-Custom-Header", "value", "webhook-id", "forged")));
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void retriesAfterFailuresWithTheSameSignedMessageUntilTheTargetAccepts() {
        receiver.answer(500, 500);
        String payload = "{\"type\":\"key.created\",\"data\":{\"keyId\":\"key_1\"}}";

        String id = transactions.execute(tx -> deliveries.enqueue("tenant-a", KIND, ownerId, UUID.randomUUID(),
                "key.created", payload));

        List<WebhookReceiver.Received> received = receiver.await(3, Duration.ofSeconds(20));
        assertThat(received).extracting(WebhookReceiver.Received::webhookId).containsOnly(id);
        assertThat(received).allMatch(WebhookReceiver.Received::verified);
        assertThat(received).extracting(WebhookReceiver.Received::body).containsOnly(payload);
        assertThat(received).extracting(WebhookReceiver.Received::answeredStatus).containsExactly(500, 500, 200);
        assertThat(received.getFirst().header("X-Custom-Header")).isEqualTo("value");
        assertThat(received.getFirst().header("Content-Type")).isEqualTo("application/json");

        DeliveryRecord delivery = awaitStatus(id, DeliveryStatus.SUCCESS);
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(delivery.statusCode()).isEqualTo(200);
        assertThat(delivery.eventType()).isEqualTo("key.created");
        assertThat(deliveries.attempts(List.of(id)).get(id))
                .extracting(DeliveryAttempt::statusCode).containsExactly(500, 500, 200);
        assertThat(deliveries.attempts(List.of(id)).get(id))
                .extracting(DeliveryAttempt::succeeded).containsExactly(false, false, true);
        // the backoff doubles: the second retry waited longer than the first
        List<DeliveryAttempt> attempts = deliveries.attempts(List.of(id)).get(id);
        Duration first = Duration.between(attempts.get(0).attemptedAt(), attempts.get(1).attemptedAt());
        Duration second = Duration.between(attempts.get(1).attemptedAt(), attempts.get(2).attemptedAt());
        assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(second).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        // the owner hears of an attempt after its outcome is stored, so the last one may still be on its way
        await("the owner told of every attempt").atMost(WAIT).untilAsserted(() ->
                assertThat(owner.outcomes).filteredOn(outcome -> outcome.startsWith(ownerId))
                        .containsExactly(ownerId + ":500", ownerId + ":500", ownerId + ":200"));
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        receiver.answer(500, 503, 502, 500);

        String id = transactions.execute(tx -> deliveries.enqueue("tenant-a", KIND, ownerId, UUID.randomUUID(),
                "key.revoked", "{}"));

        DeliveryRecord delivery = awaitStatus(id, DeliveryStatus.FAILED);
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(delivery.statusCode()).isEqualTo(502);
        assertThat(delivery.error()).isEqualTo("target answered 502");
        assertThat(delivery.completedAt()).isNotNull();
        assertThat(receiver.received()).hasSize(3);
        // a failed delivery is never taken again: the worker takes due deliveries oldest first, so by the time one
        // queued after it has been sent, a repeat of the failed one would have been taken too
        sendsAMarker();
        assertThat(receiver.received()).filteredOn(received -> received.webhookId().equals(id)).hasSize(3);
    }

    @Test
    void aRolledBackEnqueueIsNeverSentAndAnEventIsQueuedOnce() {
        UUID eventId = UUID.randomUUID();
        transactions.executeWithoutResult(tx -> {
            deliveries.enqueue("tenant-a", KIND, ownerId, UUID.randomUUID(), "key.created", "{\"rolled\":\"back\"}");
            tx.setRollbackOnly();
        });
        String first = transactions.execute(tx -> deliveries.enqueue("tenant-a", KIND, ownerId, eventId,
                "key.created", "{\"n\":1}"));
        String second = transactions.execute(tx -> deliveries.enqueue("tenant-a", KIND, ownerId, eventId,
                "key.created", "{\"n\":2}"));

        assertThat(first).isNotNull();
        assertThat(second).isNull();
        assertThat(deliveries.count(KIND, ownerId)).isEqualTo(1);
        awaitStatus(first, DeliveryStatus.SUCCESS);
        // only what was queued can be sent, and only once: a marker queued later arrives after it
        String marker = sendsAMarker();
        assertThat(receiver.received()).extracting(WebhookReceiver.Received::body)
                .containsExactly("{\"n\":1}", marker);
    }

    /** Queues one more delivery to the receiver, waits until it was sent, and returns its body. */
    private String sendsAMarker() {
        String body = "{\"marker\":\"" + UUID.randomUUID() + "\"}";
        String id = transactions.execute(tx -> deliveries.enqueue("tenant-a", KIND, ownerId, UUID.randomUUID(),
                "key.created", body));
        awaitStatus(id, DeliveryStatus.SUCCESS);
        return body;
    }

    @Test
    void aDeliveryWhoseOwnerIsGoneFailsWithoutBeingSent() {
        owner.destinations.remove(ownerId);

        String id = transactions.execute(tx -> deliveries.enqueue("tenant-a", KIND, ownerId, UUID.randomUUID(),
                "key.created", "{}"));

        DeliveryRecord delivery = awaitStatus(id, DeliveryStatus.FAILED);
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.error()).contains("no longer exists");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void sendNowRecordsOneAttemptAndReportsTheTargetsAnswer() {
        receiver.answer(500);

        DeliveryRecord failed = deliveries.sendNow("tenant-a", owner, ownerId, owner.destinations.get(ownerId),
                "test.ping", "{\"test\":true}");
        DeliveryRecord succeeded = deliveries.sendNow("tenant-a", owner, ownerId, owner.destinations.get(ownerId),
                "test.ping", "{\"test\":true}");

        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(succeeded.status()).isEqualTo(DeliveryStatus.SUCCESS);
        assertThat(succeeded.statusCode()).isEqualTo(200);
        assertThat(succeeded.attempts()).isEqualTo(1);
        assertThat(receiver.received()).allMatch(WebhookReceiver.Received::verified);
        assertThat(deliveries.page(KIND, ownerId, 0, 10)).extracting(DeliveryRecord::deliveryId)
                .containsExactly(succeeded.deliveryId(), failed.deliveryId());
    }

    @Test
    void anUnreachableTargetIsAFailureToRetryNotAnError() {
        owner.destinations.put(ownerId, new WebhookDestination(URI.create("http://127.0.0.1:1/hook"), secret,
                Map.of()));

        DeliveryRecord result = deliveries.sendNow("tenant-a", owner, ownerId, owner.destinations.get(ownerId),
                "test.ping", "{}");

        assertThat(result.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(result.statusCode()).isNull();
        assertThat(result.error()).startsWith("connection failed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM delivery_attempt WHERE delivery_id = ?", Long.class,
                result.deliveryId())).isEqualTo(1);
    }

    private DeliveryRecord awaitStatus(String id, DeliveryStatus status) {
        return await("delivery " + id + " " + status).atMost(WAIT).pollInterval(Duration.ofMillis(25))
                .until(() -> deliveries.find(ownerId, KIND, id), record -> record.isPresent()
                        && record.get().status() == status)
                .orElseThrow();
    }

    @TestConfiguration
    static class Owners {

        @Bean
        TestOwner testOwner() {
            return new TestOwner();
        }
    }

    static class TestOwner implements DeliveryOwner {

        final Map<String, Destination> destinations = new ConcurrentHashMap<>();
        final List<String> outcomes = new CopyOnWriteArrayList<>();

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public Optional<Destination> destination(String ownerId) {
            return Optional.ofNullable(destinations.get(ownerId));
        }

        @Override
        public void attempted(String ownerId, OutgoingMessage message, DeliveryResult result) {
            outcomes.add(ownerId + ":" + result.statusCode());
        }
    }
}
