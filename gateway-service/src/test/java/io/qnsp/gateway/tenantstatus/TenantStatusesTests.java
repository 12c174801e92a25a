package io.qnsp.gateway.tenantstatus;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TenantStatusesTests {

    private static final Instant T0 = Instant.parse("2032-06-06T01:00:00Z");

    private final TenantStatuses statuses = new TenantStatuses();

    private static TenantStatus status(String status, Instant since) {
        return new TenantStatus(status, "dunning", since);
    }

    @Test
    void onlySuspendedAndCancelledRefuseAndATenantNeverNamedIsActive() {
        statuses.apply("a", status("suspended", T0));
        statuses.apply("b", status("cancelled", T0));
        statuses.apply("c", status("active", T0));
        statuses.apply("d", status("past_due", T0));

        assertThat(statuses.refusing("a").status()).isEqualTo("suspended");
        assertThat(statuses.refusing("b").status()).isEqualTo("cancelled");
        assertThat(statuses.refusing("c")).isNull();
        assertThat(statuses.refusing("d")).as("a status the gateway does not know").isNull();
        assertThat(statuses.refusing("never-named")).isNull();
        assertThat(statuses.refusedCount()).isEqualTo(2);
    }

    @Test
    void theLatestChangeDecidesAndReactivationLetsTheTenantThroughAgain() {
        statuses.apply("a", status("suspended", T0));
        statuses.apply("a", status("active", T0.plusSeconds(60)));
        assertThat(statuses.refusing("a")).isNull();

        statuses.apply("a", status("cancelled", T0.plusSeconds(120)));
        assertThat(statuses.refusing("a").status()).isEqualTo("cancelled");
    }

    @Test
    void aChangeReadAfterALaterOneDoesNotUndoIt() {
        // a suspension published again after the reactivation that followed it, or two relays racing
        statuses.apply("a", status("suspended", T0));
        statuses.apply("a", status("active", T0.plus(Duration.ofMillis(5))));
        statuses.apply("a", status("suspended", T0));

        assertThat(statuses.of("a").status()).isEqualTo("active");
        assertThat(statuses.refusing("a")).isNull();
    }

    @Test
    void withoutTimesOrAtTheSameTimeTheStreamOrderDecides() {
        statuses.apply("a", status("suspended", T0));
        statuses.apply("a", status("active", T0));
        assertThat(statuses.of("a").status()).isEqualTo("active");

        statuses.apply("b", status("active", T0));
        statuses.apply("b", status("suspended", null));
        assertThat(statuses.of("b").status()).isEqualTo("suspended");
    }
}
