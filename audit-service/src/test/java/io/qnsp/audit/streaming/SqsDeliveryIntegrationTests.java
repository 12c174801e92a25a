package io.qnsp.audit.streaming;

import io.qnsp.audit.TestEvents;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.audit.streaming.SubscriptionApiIntegrationTests.event;
import static org.assertj.core.api.Assertions.assertThat;

/** SQS destinations against ElasticMQ in-process (one server for the class), standard and FIFO queues. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class SqsDeliveryIntegrationTests {

    private static final String ACCESS_KEY_ID = "AKIAEXAMPLEKEY123456";
    private static SQSRestServer server;
    private static String endpoint;
    private static SqsClient sqs;

    @LocalServerPort
    int port;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcTemplate jdbc;

    TestEvents events;
    String tenant;
    StreamingApi api;

    @BeforeAll
    static void startElasticMq() throws IOException {
        int sqsPort = 0;
        // the port is free when chosen, but another process may take it before ElasticMQ binds it: then another
        for (int attempt = 0; server == null; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                sqsPort = socket.getLocalPort();
            }
            SQSRestServer started = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort)
                    .withServerAddress(new NodeAddress("http", "127.0.0.1", sqsPort, "")).start();
            try {
                started.waitUntilStarted();
                server = started;
            } catch (Exception bindFailed) {
                if (attempt >= 4) {
                    throw new IllegalStateException("ElasticMQ did not start", bindFailed);
                }
            }
        }
        endpoint = "http://127.0.0.1:" + sqsPort;
        sqs = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, "x")))
                .build();
    }

    @AfterAll
    static void stopElasticMq() {
        sqs.close();
        server.stopAndWait();
    }

    @BeforeEach
    void setUp() {
        events = new TestEvents(redis, keys, json, jdbc);
        tenant = "tenant-" + UUID.randomUUID();
        api = new StreamingApi(port, TestTokens.forTenant(tenant).subject("user-1").scopes("audit:stream").mint());
    }

    @Test
    void aMatchingEventArrivesAsAMessageWithItsTypeAsAttribute() {
        String queueUrl = sqs.createQueue(b -> b.queueName("audit-" + UUID.randomUUID())).queueUrl();
        api.create(subscription(queueUrl, null));
        AuditEvent wanted = event(tenant, "auth.api_key.created", "failure");

        events.publish(wanted);

        Message message = receive(queueUrl, 1).getFirst();
        JsonNode body = json.readTree(message.body());
        assertThat(body.get("eventId").asString()).isEqualTo(wanted.eventId().toString());
        assertThat(body.get("eventType").asString()).isEqualTo("auth.api_key.created");
        assertThat(body.get("severity").asString()).isEqualTo("error");
        assertThat(message.messageAttributes().get("eventType").stringValue()).isEqualTo("auth.api_key.created");
        assertThat(message.messageAttributes().get("deliveryId").stringValue()).startsWith("del_");
    }

    @Test
    void aFifoQueueGetsTheMessageGroupAndADeduplicationId() {
        String queueUrl = sqs.createQueue(b -> b.queueName("audit-" + UUID.randomUUID() + ".fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        api.create(subscription(queueUrl, "tenant-audit"));
        AuditEvent first = event(tenant, "auth.login", "success");
        AuditEvent second = event(tenant, "auth.logout", "success");

        events.publish(first);
        events.publish(second);

        List<Message> messages = receive(queueUrl, 2);
        assertThat(messages).extracting(m -> json.readTree(m.body()).get("eventId").asString())
                .containsExactlyInAnyOrder(first.eventId().toString(), second.eventId().toString());
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("tenant-audit");
            assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).startsWith("del_");
        });
    }

    private String subscription(String queueUrl, String messageGroupId) {
        return """
                {"name": "to sqs", "destination": {"type": "sqs", "config": {"queueUrl": "%s", "region": "us-east-1",
                 "endpoint": "%s", "accessKeyId": "%s", "secretAccessKey": "elasticmq-ignores-it"%s}}}"""
                .formatted(queueUrl, endpoint, ACCESS_KEY_ID,
                        messageGroupId == null ? "" : ", \"messageGroupId\": \"" + messageGroupId + "\"");
    }

    private List<Message> receive(String queueUrl, int count) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All").messageSystemAttributeNames(
                            MessageSystemAttributeName.ALL)).messages()) {
                messages.add(message);
                // a FIFO queue holds back the group's next message until this one is deleted
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        assertThat(messages).hasSize(count);
        // nothing more arrives (no duplicate)
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages()).isEmpty();
        return messages;
    }
}
