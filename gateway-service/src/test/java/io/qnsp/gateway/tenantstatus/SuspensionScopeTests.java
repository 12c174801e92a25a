package io.qnsp.gateway.tenantstatus;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SuspensionScopeTests {

    private static TenantStatusProperties properties(String operator, List<String> exempt) {
        return new TenantStatusProperties(true, operator, exempt, Duration.ofSeconds(2), 500, Duration.ofSeconds(5));
    }

    @Test
    void billingPathsAndTheOperatorTenantAreExemptByDefault() {
        SuspensionScope scope = new SuspensionScope(properties("platform", List.of("/billing/v1/**")));

        assertThat(scope.applies("/billing/v1/invoices")).isFalse();
        assertThat(scope.applies("/billing/v1/invoices/{invoiceId}/pay")).isFalse();
        assertThat(scope.applies("/billing/v2/invoices")).isTrue();
        assertThat(scope.applies("/kms/v1/keys")).isTrue();
        assertThat(scope.applies("/api/v1/requests")).isTrue();
        assertThat(scope.exemptTenant("platform")).isTrue();
        assertThat(scope.exemptTenant("acme")).isFalse();
    }

    @Test
    void theExemptPathsAndTheOperatorTenantAreSettings() {
        SuspensionScope scope = new SuspensionScope(properties("operators", List.of("/billing/v1/**", "/auth/**")));

        assertThat(scope.applies("/auth/users/me")).isFalse();
        assertThat(scope.exemptTenant("operators")).isTrue();
        assertThat(scope.exemptTenant("platform")).isFalse();
        assertThat(new SuspensionScope(properties("platform", List.of())).applies("/billing/v1/invoices")).isTrue();
    }

    @Test
    void settingsAreChecked() {
        assertThatIllegalArgumentException().isThrownBy(() -> properties(" ", List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> properties("platform", List.of("billing/**")));
    }

    @Test
    void aBlockingReadStaysWellUnderTheRedisCommandTimeout() {
        assertThat(TenantStatusReader.blockTimeout(Duration.ofSeconds(2), Duration.ofMillis(500)))
                .isEqualTo(Duration.ofMillis(250));
        assertThat(TenantStatusReader.blockTimeout(Duration.ofSeconds(2), Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(TenantStatusReader.blockTimeout(Duration.ofSeconds(2), Duration.ofMillis(4)))
                .isEqualTo(Duration.ofMillis(10));
    }
}
