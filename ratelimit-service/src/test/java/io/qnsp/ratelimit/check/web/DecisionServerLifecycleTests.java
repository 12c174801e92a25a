package io.qnsp.ratelimit.check.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.error.ErrorFamily;
import io.qnsp.common.error.ErrorResponseWriter;
import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.ratelimit.check.RateLimitCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Sinks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Starting and stopping the decision server: a shutdown stops accepting connections at once, closes idle ones, and
 * still answers a request whose decision is in progress before closing its connection.
 */
class DecisionServerLifecycleTests {

    private final RateLimitCheck check = mock(RateLimitCheck.class);
    private final Sinks.One<RateLimitDecision> pending = Sinks.one();
    private DecisionServer server;

    @AfterEach
    void stop() {
        if (server != null && server.isRunning()) {
            server.stop();
        }
    }

    @Test
    void aShutdownAnswersTheRequestInProgressAndClosesIdleConnections() throws Exception {
        when(check.checkAsync(eq("RAT-slow"), anyInt(), any())).thenReturn(pending.asMono());
        server = server();
        server.start();
        int port = server.port();

        try (RawHttpConnection idle = new RawHttpConnection(port);
             RawHttpConnection busy = new RawHttpConnection(port)) {
            // the idle connection is known to the server once it has answered on it
            idle.send(RawHttpConnection.check("{}"));
            assertThat(idle.read().status()).isEqualTo(400);
            busy.send(RawHttpConnection.check("{\"apiKey\":\"RAT-slow\",\"cost\":2}"));
            await("the check to be under way").atMost(Duration.ofSeconds(30)).until(() -> org.mockito.Mockito
                    .mockingDetails(check).getInvocations().stream()
                    .anyMatch(invocation -> invocation.getMethod().getName().equals("checkAsync")));

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
            await("no new connections").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket("localhost", port).close())
                            .isInstanceOf(ConnectException.class));
            assertThat(idle.closedByServer()).isTrue();
            assertThat(stopping).isNotDone();

            pending.tryEmitValue(new RateLimitDecision(true, 8, 10, Duration.ofMillis(400), Duration.ZERO,
                    RateLimitDecision.Source.REDIS));
            RawHttpConnection.Response answered = busy.read();
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.json().get("remainingTokens").asLong()).isEqualTo(8);
            assertThat(answered.header("X-RateLimit-Reset")).isEqualTo("1");
            assertThat(answered.header("Connection")).isEqualTo("close");
            assertThat(busy.closedByServer()).isTrue();
            stopping.get();
        }
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void aPortInUseStopsTheStartWithAnError() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            server = server(taken.getLocalPort());
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
            assertThat(server.isRunning()).isFalse();
        }
    }

    private DecisionServer server() {
        return server(0);
    }

    private DecisionServer server(int port) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("registry", new SimpleMeterRegistry());
        DecisionServerSettings settings = new DecisionServerSettings(true, port, "127.0.0.1",
                DataSize.ofKilobytes(64), Duration.ofMinutes(5), Duration.ofSeconds(60), 1, 2);
        return new DecisionServer(settings, check, new ErrorResponseWriter(ErrorFamily.RATELIMIT),
                beans.getBeanProvider(MeterRegistry.class));
    }
}
