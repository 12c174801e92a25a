package io.qnsp.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** How a token request names its client, and how refusals become pauses. */
class ClientFailureLimitTests {

    private static final GatewayRateLimitProperties.ClientFailures SETTINGS = new GatewayRateLimitProperties
            .ClientFailures(3, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(100), "/oauth2/token");

    @Test
    void readsTheClientIdOfBasicCredentialsUrlDecoded() {
        assertThat(ClientFailureLimit.basicClientId(basic("my%20client:s3cret"))).isEqualTo("my client");
        assertThat(ClientFailureLimit.basicClientId(basic("only-id"))).isEqualTo("only-id");
        assertThat(ClientFailureLimit.basicClientId("basic " + Base64.getEncoder().encodeToString(
                "lower:x".getBytes(StandardCharsets.UTF_8)))).isEqualTo("lower");
        assertThat(ClientFailureLimit.basicClientId("Bearer abc")).isNull();
        assertThat(ClientFailureLimit.basicClientId("Basic !!!not-base64")).isNull();
        assertThat(ClientFailureLimit.basicClientId(null)).isNull();
    }

    @Test
    void readsTheFirstClientIdOfAForm() {
        assertThat(ClientFailureLimit.formClientId("grant_type=client_credentials&client_id=a%2Bb&client_id=c"))
                .isEqualTo("a+b");
        assertThat(ClientFailureLimit.formClientId("grant_type=client_credentials&xclient_id=a")).isNull();
        assertThat(ClientFailureLimit.formClientId("client_id=%zz")).isNull();
    }

    @Test
    void pausesFromTheLimitDoublingUpToTheCap() {
        ClientFailures.Count count = ClientFailures.Count.NONE;
        long now = 1_000_000;
        count = count.failed(now, SETTINGS);
        count = count.failed(now, SETTINGS);
        assertThat(count.pausedUntil()).isZero();
        count = count.failed(now, SETTINGS);
        assertThat(count.pausedUntil() - now).isEqualTo(30_000);
        now += 31_000;
        count = count.failed(now, SETTINGS);
        assertThat(count.pausedUntil() - now).isEqualTo(60_000);
        now += 61_000;
        count = count.failed(now, SETTINGS);
        assertThat(count.pausedUntil() - now).isEqualTo(100_000);
        // a window after the last pause without a refusal, the count starts again
        now += 100_000 + 300_000;
        count = count.failed(now, SETTINGS);
        assertThat(count.failures()).isEqualTo(1);
        assertThat(count.pausedUntil()).isLessThan(now);
    }

    @Test
    void refusalsOutsideOneWindowDoNotAddUp() {
        ClientFailures.Count count = ClientFailures.Count.NONE;
        long now = 1_000_000;
        for (int i = 0; i < 5; i++) {
            count = count.failed(now, SETTINGS);
            now += Duration.ofMinutes(3).toMillis();
        }
        assertThat(count.failures()).isLessThan(3);
        assertThat(count.pausedUntil()).isZero();
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
