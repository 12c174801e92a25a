package io.qnsp.audit.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTests {

    // The Standard Webhooks reference vector (shared by its libraries' test suites).
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final Instant AT_TIMESTAMP = Instant.ofEpochSecond(TIMESTAMP);

    @Test
    void signsLikeTheStandardWebhooksReferenceVector() {
        assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void verifiesItsOwnSignatureAmongSeveralAndRefusesTampering() {
        String signature = WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY);
        Duration tolerance = Duration.ofMinutes(5);

        assertThat(WebhookSignature.verify(SECRET, ID, "1614265330", "v1,b3RoZXI= " + signature, BODY,
                AT_TIMESTAMP, tolerance)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, ID, "1614265330", signature, BODY + " ", AT_TIMESTAMP,
                tolerance)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, "msg_other", "1614265330", signature, BODY, AT_TIMESTAMP,
                tolerance)).isFalse();
        assertThat(WebhookSignature.verify(WebhookSignature.newSecret(), ID, "1614265330", signature, BODY,
                AT_TIMESTAMP, tolerance)).isFalse();
    }

    @Test
    void refusesTimestampsOutsideTheTolerance() {
        String signature = WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY);

        assertThat(WebhookSignature.verify(SECRET, ID, "1614265330", signature, BODY,
                AT_TIMESTAMP.plus(Duration.ofMinutes(6)), Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify(SECRET, ID, "not-a-number", signature, BODY, AT_TIMESTAMP,
                Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void generatedSecretsCarryThirtyTwoRandomBytes() {
        String secret = WebhookSignature.newSecret();

        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(secret).isNotEqualTo(WebhookSignature.newSecret());
        assertThat(WebhookSignature.isValidSecret(secret)).isTrue();
    }

    @Test
    void acceptsOnlyBase64KeysOfEightToSixtyFourBytes() {
        assertThat(WebhookSignature.isValidSecret(SECRET)).isTrue();
        assertThat(WebhookSignature.isValidSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[8])))
                .isTrue();
        assertThat(WebhookSignature.isValidSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[7])))
                .isFalse();
        assertThat(WebhookSignature.isValidSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[65])))
                .isFalse();
        assertThat(WebhookSignature.isValidSecret("whsec_not base64!")).isFalse();
        assertThat(WebhookSignature.isValidSecret(null)).isFalse();
    }
}
