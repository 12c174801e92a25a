package io.qnsp.gateway.ratelimit;

import io.qnsp.gateway.TestIdentity;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-address limit on paths open without credentials, on a running gateway: each client address has its own
 * bucket (burst 3, then one request per 20 s), whatever public path it calls, and a refusal is a 429 with
 * {@code Retry-After} in the path's family. The clients call from 127.0.0.3 to 127.0.0.5: every 127/8 address is
 * the loopback, and none of them is 127.0.0.1, which the test tooling itself calls from.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "qnsp.gateway.rate-limit.public-paths.requests-per-minute=3",
        "qnsp.gateway.rate-limit.public-paths.burst=3"})
class PublicPathLimitIntegrationTests {

    private static final StubBackend backend = StubBackend.start();
    private static final JsonMapper JSON = JsonMapper.shared();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestIdentity.properties(registry, TestRedis.shared(), backend);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @LocalServerPort
    int port;

    @Test
    void anAddressIsRefusedWith429AndRetryAfterOnceItsAllowanceIsSpentWhileAnotherAddressIsNot() {
        HttpClient first = client("127.0.0.4");
        HttpClient second = client("127.0.0.5");

        // the allowance is shared by every public path: the key set and a health probe
        assertThat(get(first, "/oauth2/jwks").statusCode()).isEqualTo(200);
        assertThat(get(first, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(first, "/oauth2/jwks").statusCode()).isEqualTo(200);

        HttpResponse<String> refused = get(first, "/oauth2/jwks");
        assertThat(refused.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 20L);
        JsonNode body = JSON.readTree(refused.body());
        assertThat(body.get("statusCode").asInt()).isEqualTo(429);
        assertThat(body.get("error").asString()).isEqualTo("RATE_LIMITED");
        assertThat(body.at("/details/retryAfter").asLong()).isEqualTo(retryAfter);
        assertThat(body.at("/details/limit").asLong()).isEqualTo(3);
        assertThat(body.get("requestId").asString()).isEqualTo(refused.headers().firstValue("X-Request-Id")
                .orElseThrow());

        // the gateway's own endpoints are limited too, answered in their family (DataHub for /health)
        HttpResponse<String> health = get(first, "/health/live");
        assertThat(health.statusCode()).isEqualTo(429);
        assertThat(health.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(health.body()).at("/error/code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");

        // the other address still has its own allowance
        assertThat(get(second, "/oauth2/jwks").statusCode()).isEqualTo(200);
        assertThat(get(second, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(second, "/oauth2/jwks").statusCode()).isEqualTo(200);
        assertThat(get(second, "/oauth2/jwks").statusCode()).isEqualTo(429);
    }

    @Test
    void authenticatedPathsAreNotChargedToTheAddress() {
        HttpClient client = client("127.0.0.3");
        // no credentials: refused by authentication (401), never by the per-address limit
        for (int i = 0; i < 6; i++) {
            assertThat(get(client, "/kms/v1/keys").statusCode()).isEqualTo(401);
        }
        assertThat(get(client, "/oauth2/jwks").statusCode()).isEqualTo(200);
    }

    @Test
    void theDecisionEndpointAndStaticFilesAreNotChargedToTheAddress() throws Exception {
        HttpClient client = client("127.0.0.6");
        for (int i = 0; i < 6; i++) {
            assertThat(get(client, "/dashboard/").statusCode()).isNotEqualTo(429);
            assertThat(get(client, "/swagger-ui/index.html").statusCode()).isNotEqualTo(429);
            HttpResponse<String> check = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/check"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"RAT-x\",\"cost\":1}"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(check.statusCode()).isNotEqualTo(429);
        }
        // the whole allowance of three is still there
        for (int i = 0; i < 3; i++) {
            assertThat(get(client, "/oauth2/jwks").statusCode()).isEqualTo(200);
        }
        assertThat(get(client, "/oauth2/jwks").statusCode()).isEqualTo(429);
    }

    private static HttpClient client(String localAddress) {
        try {
            return HttpClient.newBuilder().localAddress(InetAddress.getByName(localAddress))
                    .connectTimeout(Duration.ofSeconds(5)).build();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(HttpClient client, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
