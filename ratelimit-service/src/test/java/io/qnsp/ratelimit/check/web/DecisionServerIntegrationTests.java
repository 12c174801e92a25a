package io.qnsp.ratelimit.check.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qnsp.ratelimit.RateLimitClient;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision server over raw connections: every bad input gets an answer in the service's error format with the
 * right status, connections are kept alive, pipelined, closed on request and when idle, and its answers are counted
 * in {@code http.server.requests} as the servlet stack's are.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "qnsp.ratelimit.decision-server.idle-timeout=3s")
@ActiveProfiles("test")
@EmbeddedInfrastructure
class DecisionServerIntegrationTests {

    @LocalServerPort
    int mainPort;

    @Autowired
    DecisionServer server;

    @Autowired
    MeterRegistry registry;

    RateLimitClient admin;

    @BeforeEach
    void clients() {
        admin = new RateLimitClient(mainPort);
    }

    @Test
    void listensOnItsOwnPortBesideTheMainOne() {
        assertThat(server.port()).isPositive().isNotEqualTo(mainPort);
        assertThat(server.isRunning()).isTrue();
    }

    @Test
    void malformedJsonWrongTypesAndEmptyBodiesAre400NamingTheFieldOnAConnectionThatStaysOpen() throws Exception {
        String key = admin.createKey("bad-input", 5, 10);
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            assertInvalid(connection, "{\"apiKey\":", "body", "is not well-formed JSON");
            assertInvalid(connection, "{\"apiKey\":\"" + key + "\",\"cost\":\"x\"}", "cost", "must be an integer");
            assertInvalid(connection, "{\"apiKey\":5}", "apiKey", "must be a string");
            assertInvalid(connection, "", "body", "is required");
            assertInvalid(connection, "{}", "apiKey", "must not be blank");
            assertInvalid(connection, "\"text\"", "body", "must be a JSON object");
            assertInvalid(connection, "{\"apiKey\":\"" + key + "\",\"cost\":0}", "cost",
                    "must be greater than or equal to 1");
            assertInvalid(connection, "{\"apiKey\":\"" + key + "\",\"cost\":11}", "cost",
                    "must not exceed the key's burst capacity of 10");

            // none of them spent a token, and the connection still serves
            connection.send(RawHttpConnection.check("{\"apiKey\":\"" + key + "\"}"));
            RawHttpConnection.Response admitted = connection.read();
            assertThat(admitted.status()).isEqualTo(200);
            assertThat(admitted.json().get("remainingTokens").asLong()).isEqualTo(9);
        }
    }

    @Test
    void aTwoMegabyteBodyIs413InTheErrorFormatAndTheConnectionCloses() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Request-Id: big-1\r\nContent-Length: " + body.length + "\r\n\r\n");
            connection.send(body);
            RawHttpConnection.Response tooLarge = connection.read();
            assertTooLarge(tooLarge, "big-1");
            assertThat(connection.closedByServer()).isTrue();
        }
        // the same sent in chunks, with no length announced
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Request-Id: big-2\r\nTransfer-Encoding: chunked\r\n\r\n");
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int sent = 0; sent < body.length; sent += 65_536) {
                chunks.write(("10000\r\n").getBytes(StandardCharsets.US_ASCII));
                chunks.write(body, sent, 65_536);
                chunks.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            chunks.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            connection.send(chunks.toByteArray());
            assertTooLarge(connection.read(), "big-2");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void anotherMethodIs405AnotherPathIs404AndAnotherContentTypeIs415() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("GET /v1/check HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpConnection.Response get = connection.read();
            assertError(get, 405, "method_not_allowed");
            assertThat(get.header("Allow")).isEqualTo("POST");

            // HEAD: the same answer without its body, and the connection goes on
            connection.send("HEAD /v1/check HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpConnection.Response head = connection.readHead();
            assertThat(head.status()).isEqualTo(405);
            assertThat(head.header("Allow")).isEqualTo("POST");

            connection.send("POST /v1/other HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n{}");
            assertError(connection.read(), 404, "not_found");

            connection.send("POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}");
            RawHttpConnection.Response noType = connection.read();
            assertError(noType, 415, "unsupported_media_type");
            assertThat(noType.json().get("details").get("supported").get(0).asString()).isEqualTo("application/json");

            connection.send("POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 2\r\n\r\n{}");
            assertError(connection.read(), 415, "unsupported_media_type");

            // a query string does not change the path, and a charset parameter is still JSON
            connection.send("POST /v1/check?x=1 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json; charset=UTF-8\r\nContent-Length: 2\r\n\r\n{}");
            assertError(connection.read(), 400, "invalid_request");
        }
    }

    @Test
    void bytesThatAreNotHttpGetA400InTheErrorFormatAndTheConnectionCloses() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Length: nope\r\n\r\n{}");
            RawHttpConnection.Response answer = connection.read();
            assertError(answer, 400, "invalid_request");
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void aKeptAliveConnectionServesSeveralChecks() throws Exception {
        String key = admin.createKey("keep-alive", 1, 10);
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            List<Long> remaining = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                connection.send(RawHttpConnection.check("{\"apiKey\":\"" + key + "\",\"cost\":2}"));
                RawHttpConnection.Response answer = connection.read();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.header("Connection")).isNull();
                remaining.add(answer.json().get("remainingTokens").asLong());
            }
            // a token a second refills meanwhile at most
            assertThat(remaining.getFirst()).isBetween(8L, 9L);
            for (int i = 1; i < remaining.size(); i++) {
                assertThat(remaining.get(i)).isLessThan(remaining.get(i - 1));
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws Exception {
        String key = admin.createKey("pipelined", 1, 10);
        String other = admin.createKey("pipelined-other", 1, 10);
        StringBuilder requests = new StringBuilder()
                // not in memory yet: read from the database off the event loop, while the next ones wait
                .append(RawHttpConnection.check("{\"apiKey\":\"" + key + "\",\"cost\":3}", "X-Request-Id: p-1"))
                .append(RawHttpConnection.check("{\"cost\":1}", "X-Request-Id: p-2"))
                .append(RawHttpConnection.check("{\"apiKey\":\"RAT-nobodynobodynobodynobodynobody\"}",
                        "X-Request-Id: p-3"))
                .append(RawHttpConnection.check("{\"apiKey\":\"" + other + "\",\"cost\":10}", "X-Request-Id: p-4"))
                .append(RawHttpConnection.check("{\"apiKey\":\"" + key + "\",\"cost\":10}", "X-Request-Id: p-5"));
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send(requests.toString());
            List<Integer> statuses = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                RawHttpConnection.Response answer = connection.read();
                statuses.add(answer.status());
                ids.add(answer.header("X-Request-Id"));
            }
            assertThat(ids).containsExactly("p-1", "p-2", "p-3", "p-4", "p-5");
            assertThat(statuses).containsExactly(200, 400, 401, 200, 429);
        }
    }

    @Test
    void connectionCloseIsHonouredAfterTheAnswer() throws Exception {
        String key = admin.createKey("close", 1, 10);
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send(RawHttpConnection.check("{\"apiKey\":\"" + key + "\"}", "Connection: close"));
            RawHttpConnection.Response answer = connection.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(connection.closedByServer()).isTrue();
        }
        // HTTP/1.0 closes unless asked to keep alive
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send(RawHttpConnection.check("{\"apiKey\":\"" + key + "\"}", "Connection: keep-alive")
                    .replace("HTTP/1.1", "HTTP/1.0"));
            RawHttpConnection.Response kept = connection.read();
            assertThat(kept.status()).isEqualTo(200);
            assertThat(kept.header("Connection")).isEqualToIgnoringCase("keep-alive");
            connection.send(RawHttpConnection.check("{\"apiKey\":\"" + key + "\"}").replace("HTTP/1.1", "HTTP/1.0"));
            assertThat(connection.read().status()).isEqualTo(200);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        String key = admin.createKey("idle", 1, 10);
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send(RawHttpConnection.check("{\"apiKey\":\"" + key + "\"}"));
            assertThat(connection.read().status()).isEqualTo(200);
            // nothing more is sent: the server ends the connection once its idle timeout passes
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void theCallersRequestIdIsKeptWhenWellFormedAndReplacedOtherwise() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send(RawHttpConnection.check("{}", "X-Request-Id: client-chosen-id-42"));
            RawHttpConnection.Response kept = connection.read();
            assertThat(kept.header("X-Request-Id")).isEqualTo("client-chosen-id-42");
            assertThat(kept.json().get("requestId").asString()).isEqualTo("client-chosen-id-42");

            connection.send(RawHttpConnection.check("{}", "X-Request-Id: not acceptable <id>"));
            RawHttpConnection.Response replaced = connection.read();
            assertThat(replaced.header("X-Request-Id")).matches("[0-9a-f-]{36}");
            assertThat(replaced.json().get("requestId").asString()).isEqualTo(replaced.header("X-Request-Id"));
        }
    }

    @Test
    void httpServerRequestsCountsTheDecisionServersAnswersByStatusWithTheServletStacksTags() throws Exception {
        String key = admin.createKey("metered", 1, 2);
        // one check through the servlet stack, so its meter exists to compare tags with
        assertThat(admin.check(key, 1).getStatusCode().value()).isEqualTo(200);
        Map<String, Double> before = countsByStatus();
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            for (String body : List.of("{\"apiKey\":\"" + key + "\"}", "{\"apiKey\":\"" + key + "\",\"cost\":2}",
                    "{\"apiKey\":\"RAT-nobodynobodynobodynobodynobody\"}", "{}")) {
                connection.send(RawHttpConnection.check(body));
                connection.read();
            }
        }
        Map<String, Double> after = countsByStatus();
        assertThat(after.getOrDefault("200", 0.0) - before.getOrDefault("200", 0.0)).isEqualTo(1.0);
        assertThat(after.getOrDefault("429", 0.0) - before.getOrDefault("429", 0.0)).isEqualTo(1.0);
        assertThat(after.getOrDefault("401", 0.0) - before.getOrDefault("401", 0.0)).isEqualTo(1.0);
        assertThat(after.getOrDefault("400", 0.0) - before.getOrDefault("400", 0.0)).isEqualTo(1.0);

        Set<Set<String>> tagKeys = new HashSet<>();
        for (Timer timer : registry.find("http.server.requests").timers()) {
            Set<String> keys = new java.util.TreeSet<>();
            timer.getId().getTags().forEach(tag -> keys.add(tag.getKey()));
            tagKeys.add(keys);
        }
        // one set of tag keys for the servlet stack's meters and the decision server's alike
        assertThat(tagKeys).hasSize(1);

        String scrape = admin.plain().get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"429\"[^}]*"
                + "uri=\"/v1/check\"[^}]*} [1-9]");
    }

    private Map<String, Double> countsByStatus() {
        Map<String, Double> counts = new TreeMap<>();
        for (Timer timer : registry.find("http.server.requests").tag("uri", "/v1/check").timers()) {
            counts.merge(timer.getId().getTag("status"), (double) timer.count(), Double::sum);
        }
        return counts;
    }

    private static void assertInvalid(RawHttpConnection connection, String json, String field, String problem)
            throws Exception {
        connection.send(RawHttpConnection.check(json, "X-Request-Id: invalid-" + field));
        RawHttpConnection.Response answer = connection.read();
        assertError(answer, 400, "invalid_request");
        JsonNode body = answer.json();
        assertThat(body.get("details").get("field").asString()).as(json).isEqualTo(field);
        assertThat(body.get("message").asString()).as(json).isEqualTo("Validation failed: " + field + " " + problem);
        assertThat(body.get("requestId").asString()).isEqualTo("invalid-" + field);
        assertThat(answer.header("Connection")).isNull();
    }

    private static void assertTooLarge(RawHttpConnection.Response answer, String requestId) {
        assertError(answer, 413, "payload_too_large");
        assertThat(answer.json().get("details").get("field").asString()).isEqualTo("body");
        assertThat(answer.json().get("details").get("limitBytes").asLong()).isEqualTo(65_536);
        assertThat(answer.json().get("requestId").asString()).isEqualTo(requestId);
        assertThat(answer.header("Connection")).isEqualTo("close");
    }

    private static void assertError(RawHttpConnection.Response answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.header("X-Request-Id")).isNotBlank();
        JsonNode body = answer.json();
        assertThat(body.get("error").asString()).isEqualTo(code);
        assertThat(body.get("message").asString()).isNotBlank();
        assertThat(body.get("requestId").asString()).isEqualTo(answer.header("X-Request-Id"));
    }
}
