package io.qnsp.tenant.health;

import io.qnsp.tenant.TenantSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The score formula on its own, with the default thresholds and penalties. */
class HealthScoreTests {

    static final TenantSettings.Health DEFAULTS = new TenantSettings.Health(java.time.Duration.ofMinutes(15),
            java.time.Duration.ofDays(35), 1000, 3000, 15, 35, 0.01, 0.05, 20, 45, 80, 95, 10, 30, 80, 50);
    static final Instant AT = Instant.parse("2031-01-01T00:00:00Z");

    static RequestLog.Observed idle() {
        return new RequestLog.Observed(AT, AT, 0, null, null, 0);
    }

    static RequestLog.Observed logged(double p99, double errorRate) {
        return new RequestLog.Observed(AT, AT, 100, p99, errorRate, 4);
    }

    @Test
    void aValueAtItsThresholdCostsNothing() {
        HealthScore.Assessment assessment = HealthScore.assess(DEFAULTS, null, logged(1000, 0.01));
        assertThat(assessment.score()).isEqualTo(100);
        assertThat(assessment.issues()).isEmpty();
        assertThat(assessment.status()).isEqualTo("healthy");
    }

    @Test
    void theCriticalPenaltyReplacesTheWarningOneAndTheScoreStopsAtZero() {
        HealthScore.Reported storageFull = new HealthScore.Reported(null, null, null, 99.0);
        HealthScore.Assessment assessment = HealthScore.assess(DEFAULTS, storageFull, logged(3001, 0.5));
        // 100 - 35 - 45 - 30
        assertThat(assessment.score()).isZero();
        assertThat(assessment.status()).isEqualTo("critical");
        assertThat(assessment.issues()).extracting(HealthScore.Issue::severity).containsOnly("critical");
        assertThat(assessment.issues()).extracting(HealthScore.Issue::penalty).containsExactly(35, 45, 30);
    }

    @Test
    void theLogWinsOverTheReportForLatencyAndErrorsAndTheReportCountsWithoutTraffic() {
        HealthScore.Reported slow = new HealthScore.Reported(5000.0, 0.2, 7.0, null);
        HealthScore.Assessment withTraffic = HealthScore.assess(DEFAULTS, slow, logged(100, 0));
        assertThat(withTraffic.score()).isEqualTo(100);
        assertThat(withTraffic.metrics().source()).isEqualTo("request_log");
        assertThat(withTraffic.metrics().activeUsers()).isEqualTo(4);

        HealthScore.Assessment withoutTraffic = HealthScore.assess(DEFAULTS, slow, idle());
        assertThat(withoutTraffic.score()).isEqualTo(100 - 35 - 45);
        assertThat(withoutTraffic.status()).isEqualTo("critical");
        assertThat(withoutTraffic.metrics().source()).isEqualTo("reported");
        assertThat(withoutTraffic.metrics().activeUsers()).isEqualTo(7);
    }

    @Test
    void theStatusFollowsTheScoreBoundaries() {
        assertThat(HealthScore.statusOf(DEFAULTS, 80)).isEqualTo("healthy");
        assertThat(HealthScore.statusOf(DEFAULTS, 79.99)).isEqualTo("degraded");
        assertThat(HealthScore.statusOf(DEFAULTS, 50)).isEqualTo("degraded");
        assertThat(HealthScore.statusOf(DEFAULTS, 49.5)).isEqualTo("critical");
    }
}
