package io.qnsp.audit.delivery;

import io.qnsp.common.error.InvalidField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookUrlPolicyTests {

    private final WebhookUrlPolicy strict = policy(false);
    private final WebhookUrlPolicy permissive = policy(true);

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/hook", "http://localhost:8080/hook", "https://10.1.2.3/hook", "https://172.16.0.1/",
            "https://192.168.1.10/", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook",
            "http://[fd00::1]/hook", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
            "http://224.0.0.1/"})
    void refusesInternalTargets(String url) {
        assertThatThrownBy(() -> strict.validate("url", url))
                .isInstanceOfSatisfying(InvalidField.class, e -> assertThat(e.details().toString())
                        .contains("url").contains("internal address"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "/relative/path", "https://user:pw@93.184.216.34/",
            "https://93.184.216.34/x#frag", "not a url", "mailto:a@b.c", ""})
    void refusesWhatIsNoPlainHttpUrl(String url) {
        assertThatThrownBy(() -> strict.validate("url", url)).isInstanceOf(InvalidField.class);
    }

    @Test
    void acceptsPublicAddressesAndLoopbackOnlyWhenAllowed() {
        assertThat(strict.validate("url", "https://93.184.216.34/hook")).isEqualTo(URI.create("https://93.184.216.34/hook"));
        assertThat(strict.refusal(URI.create("http://127.0.0.1:9/hook"))).isPresent();
        assertThat(permissive.validate("url", "http://127.0.0.1:9/hook").getPort()).isEqualTo(9);
        assertThat(permissive.refusal(URI.create("http://127.0.0.1:9/hook"))).isEmpty();
    }

    private static WebhookUrlPolicy policy(boolean allowPrivate) {
        return new WebhookUrlPolicy(new DeliverySettings(null, Duration.ofMillis(250), 20, 8, Duration.ofSeconds(1),
                Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10),
                allowPrivate));
    }
}
