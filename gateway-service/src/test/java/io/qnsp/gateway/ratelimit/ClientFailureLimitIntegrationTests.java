package io.qnsp.gateway.ratelimit;

import io.qnsp.gateway.TestAuthService;
import io.qnsp.gateway.TestIdentity;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.time.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token endpoint's per-client back-off on a running gateway in front of the stub auth-service, with the clock in
 * the test's hands: three refusals within the window pause the client for 30 s, each further refusal doubles the
 * pause, a paused client's requests never reach auth-service, and other clients are not affected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "qnsp.gateway.rate-limit.client-failures.max-failures=3",
        "qnsp.gateway.rate-limit.client-failures.window=5m",
        "qnsp.gateway.rate-limit.client-failures.backoff=30s",
        "qnsp.gateway.rate-limit.client-failures.max-backoff=100s"})
class ClientFailureLimitIntegrationTests {

    private static final StubBackend backend = StubBackend.start();
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String CLIENT = TestAuthService.CLIENT_ID;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestIdentity.properties(registry, TestRedis.shared(), backend);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        TestClock testClock() {
            return new TestClock();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    TestClock clock;

    private final TestAuthService auth = TestAuthService.shared();
    private WebTestClient client;

    @BeforeEach
    void pinTime() {
        clock.pin(Instant.parse("2026-03-01T10:00:00Z"));
        client = TestIdentity.client(port);
    }

    @AfterEach
    void releaseTime() {
        clock.release();
    }

    @Test
    void repeatedRefusalsPauseTheClientWithAGrowingRetryAfterUntilACorrectSecretAfterThePauseWorks() {
        for (int i = 0; i < 3; i++) {
            assertThat(basic(CLIENT, "wrong-" + i).getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        int calls = auth.tokenCalls();

        // paused: even the correct secret is refused, without asking auth-service
        EntityExchangeResult<byte[]> paused = basic(CLIENT, TestAuthService.CLIENT_SECRET);
        assertPaused(paused, 30);
        assertThat(auth.tokenCalls()).isEqualTo(calls);

        // another client is not affected: auth-service answers it
        assertThat(basic("another-client", "wrong").getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(auth.tokenCalls()).isEqualTo(calls + 1);

        // the pause runs down with the clock
        clock.advance(Duration.ofSeconds(20));
        assertPaused(basic(CLIENT, TestAuthService.CLIENT_SECRET), 10);

        // a refusal after the pause doubles it, and again
        clock.advance(Duration.ofSeconds(11));
        assertThat(basic(CLIENT, "wrong-again").getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertPaused(basic(CLIENT, TestAuthService.CLIENT_SECRET), 60);
        clock.advance(Duration.ofSeconds(61));
        assertThat(basic(CLIENT, "wrong-once-more").getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        // up to the cap
        assertPaused(basic(CLIENT, TestAuthService.CLIENT_SECRET), 100);

        // after the pause the correct secret gets a token, and the count starts again
        clock.advance(Duration.ofSeconds(101));
        EntityExchangeResult<byte[]> token = basic(CLIENT, TestAuthService.CLIENT_SECRET);
        assertThat(token.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(JSON.readTree(token.getResponseBodyContent()).get("access_token").asString()).isNotBlank();
        assertThat(basic(CLIENT, "wrong-after-success").getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(basic(CLIENT, TestAuthService.CLIENT_SECRET).getStatus()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void aClientNamedInTheFormIsCountedAndItsFormStillReachesAuthService() {
        String client = "form-client";
        for (int i = 0; i < 3; i++) {
            assertThat(form(client, "wrong-" + i).getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        assertPaused(form(client, "wrong-3"), 30);

        // the form is proxied intact: the stub issues a token only when it reads the id and secret in it
        EntityExchangeResult<byte[]> token = form(CLIENT, TestAuthService.CLIENT_SECRET);
        assertThat(token.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(JSON.readTree(token.getResponseBodyContent()).get("access_token").asString()).isNotBlank();
    }

    @Test
    void refusalsSpreadOverMoreThanTheWindowDoNotPause() {
        String client = "slow-guesser";
        for (int i = 0; i < 6; i++) {
            assertThat(basic(client, "wrong-" + i).getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
            clock.advance(Duration.ofMinutes(3));
        }
    }

    private static void assertPaused(EntityExchangeResult<byte[]> answer, long retryAfter) {
        assertThat(answer.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(answer.getResponseHeaders().get(HttpHeaders.RETRY_AFTER)).containsExactly(Long.toString(retryAfter));
        JsonNode body = JSON.readTree(answer.getResponseBodyContent());
        assertThat(body.get("statusCode").asInt()).isEqualTo(429);
        assertThat(body.get("error").asString()).isEqualTo("RATE_LIMITED");
        assertThat(body.at("/details/retryAfter").asLong()).isEqualTo(retryAfter);
        assertThat(body.get("requestId").asString()).isNotBlank();
    }

    private EntityExchangeResult<byte[]> basic(String clientId, String secret) {
        String credentials = Base64.getEncoder().encodeToString((clientId + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
        return client.post().uri("/oauth2/token")
                .header(HttpHeaders.AUTHORIZATION, "Basic " + credentials)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("grant_type=client_credentials")
                .exchange().expectBody().returnResult();
    }

    private EntityExchangeResult<byte[]> form(String clientId, String secret) {
        return client.post().uri("/oauth2/token")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret)
                .exchange().expectBody().returnResult();
    }
}
