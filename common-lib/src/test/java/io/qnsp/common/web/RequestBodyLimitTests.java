package io.qnsp.common.web;

import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies above {@code qnsp.web.max-request-body} (or the limit of their path) get 413, whether their length is
 * declared or chunked.
 */
@SpringBootTest(classes = HttpTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"qnsp.security.public-paths=/probe/**", "qnsp.web.max-request-body=1KB",
                "qnsp.web.path-limits[0].paths=/probe/uploads/*", "qnsp.web.path-limits[0].max-request-body=8KB"})
@EmbeddedInfrastructure
class RequestBodyLimitTests {

    @LocalServerPort
    int port;

    TestHttp http;

    @BeforeEach
    void setUp() {
        http = new TestHttp(port);
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedAtOnce() {
        TestHttp.Response response = http.send(http.request("/probe/text", "X-Request-Id", "big-1")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096))));

        assertTooLarge(response);
        assertThat(response.header("X-Request-Id")).isEqualTo("big-1");
        assertThat(response.json().get("requestId").asString()).isEqualTo("big-1");
    }

    @Test
    void declaredLengthAtTheLimitIsAccepted() {
        TestHttp.Response response = http.send(http.request("/probe/text").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1024))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("length").asInt()).isEqualTo(1024);
    }

    @Test
    void chunkedTextOverTheLimitIsRefusedWhileReading() {
        TestHttp.Response response = http.postChunked("/probe/text", "text/plain",
                "y".repeat(4096).getBytes(StandardCharsets.UTF_8));

        assertTooLarge(response);
    }

    @Test
    void chunkedJsonOverTheLimitIsRefusedWhileReading() {
        String json = "{\"name\":\"" + "n".repeat(3000) + "\",\"cost\":1,"
                + "\"limits\":{\"algorithm\":\"token_bucket\",\"burstCapacity\":5}}";
        TestHttp.Response response = http.postChunked("/probe/things", "application/json",
                json.getBytes(StandardCharsets.UTF_8));

        assertTooLarge(response);
    }

    @Test
    void chunkedBodyUnderTheLimitIsAccepted() {
        String json = "{\"name\":\"small\",\"cost\":1,\"limits\":{\"algorithm\":\"token_bucket\",\"burstCapacity\":5}}";
        TestHttp.Response response = http.postChunked("/probe/things", "application/json",
                json.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().get("name").asString()).isEqualTo("small");
    }

    @Test
    void aPathWithALimitOfItsOwnAcceptsBodiesUpToItAndRefusesLongerOnes() {
        TestHttp.Response declared = http.send(http.request("/probe/uploads/one").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(8192))));
        TestHttp.Response chunked = http.postChunked("/probe/uploads/two", "text/plain",
                "y".repeat(6000).getBytes(StandardCharsets.UTF_8));
        TestHttp.Response tooLong = http.postChunked("/probe/uploads/three", "text/plain",
                "z".repeat(9000).getBytes(StandardCharsets.UTF_8));

        assertThat(declared.status()).as(declared.body()).isEqualTo(200);
        assertThat(declared.json().get("length").asInt()).isEqualTo(8192);
        assertThat(chunked.status()).as(chunked.body()).isEqualTo(200);
        assertThat(tooLong.status()).isEqualTo(413);
        assertThat(tooLong.json().get("details").get("limitBytes").asLong()).isEqualTo(8192);
        // other paths keep the service's limit
        assertTooLarge(http.postChunked("/probe/text", "text/plain", "w".repeat(2000).getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertTooLarge(TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(413);
        JsonNode body = response.json();
        assertThat(body.get("statusCode").asInt()).isEqualTo(413);
        assertThat(body.get("error").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(body.get("details").get("field").asString()).isEqualTo("body");
        assertThat(body.get("details").get("limitBytes").asLong()).isEqualTo(1024);
        assertThat(body.get("requestId").asString()).isEqualTo(response.header("X-Request-Id"));
    }
}
