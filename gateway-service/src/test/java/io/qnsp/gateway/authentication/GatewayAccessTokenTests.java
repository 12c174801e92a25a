package io.qnsp.gateway.authentication;

import com.sun.net.httpserver.HttpServer;
import io.qnsp.test.infra.StubHttpServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gateway's own token against a token endpoint that is slow to answer at first, as a warming auth-service is. */
class GatewayAccessTokenTests {

    /** Far longer than an answering stub needs, even on a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch testOver = new CountDownLatch(1);
    private volatile int slowCalls;
    private HttpServer server;

    private GatewayAccessToken token() {
        server = StubHttpServers.start(0, http -> http.createContext("/oauth2/token", exchange -> {
            StubHttpServers.body(exchange);
            if (calls.incrementAndGet() <= slowCalls) {
                // held until the test is over: the call times out on the gateway's side however fast or slow
                // the machine is, instead of racing a sleep against the timeout
                try {
                    testOver.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            StubHttpServers.json(exchange, 200, "{\"access_token\":\"t-" + calls.get()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":900}");
        }));
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        AuthenticationProperties.Auth auth = new AuthenticationProperties.Auth(base, base.resolve("/oauth2/jwks"),
                "qnsp", base.resolve("/oauth2/token"), base.resolve("/internal/v1/keys/verify"), "gateway",
                "secret", TIMEOUT, null);
        return new GatewayAccessToken(WebClient.create(), auth);
    }

    @AfterEach
    void stop() {
        testOver.countDown();
        server.stop(0);
    }

    @Test
    void aTokenRequestThatTimesOutIsTriedAgain() {
        slowCalls = 1;

        String value = token().get().block(Duration.ofSeconds(30));

        assertThat(value).isEqualTo("t-2");
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void afterThreeUnansweredAttemptsCallersAreToldAuthIsUnavailable() {
        slowCalls = 3;

        assertThatThrownBy(() -> token().get().block(Duration.ofSeconds(30)))
                .isInstanceOf(AuthenticationFailed.class);
        assertThat(calls.get()).isEqualTo(3);
    }
}
