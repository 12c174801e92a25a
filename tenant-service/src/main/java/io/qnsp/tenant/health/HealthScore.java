package io.qnsp.tenant.health;

import io.qnsp.tenant.TenantSettings;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The health score (docs/tenant.md): 100 less one penalty per metric past its threshold (the critical penalty
 * replaces the degraded one), never below 0. Latency and error rate come from the platform's request log when it
 * has requests of the tenant in the window, else from what the tenant reported; storage usage only the tenant can
 * report. The status follows the score: healthy from {@code healthyFrom}, degraded from {@code degradedFrom},
 * critical below.
 */
public final class HealthScore {

    /** A metric past its threshold, and what it cost the score. */
    public record Issue(String metric, String severity, double value, double threshold, int penalty, String source,
                        String message) {
    }

    /** The score, its status, the values it was computed from and the issues that lowered it. */
    public record Assessment(int score, String status, HealthMetrics metrics, List<Issue> issues) {
    }

    /**
     * The values a score was computed from.
     *
     * @param source request_log when the log had requests of the tenant in the window, else reported (the latest
     *               snapshot's values) or none
     */
    public record HealthMetrics(@Nullable Double apiLatencyP99, @Nullable Double errorRate,
                                @Nullable Double activeUsers,
                          @Nullable Double storageUsage, long requests, long activePrincipals, Instant windowStart,
                          Instant windowEnd, String source, @Nullable Reported reported) {
    }

    private HealthScore() {
    }

    public static Assessment assess(TenantSettings.Health settings, @Nullable Reported reported,
                                    RequestLog.Observed observed) {
        List<Issue> issues = new ArrayList<>();
        boolean logged = observed.requests() > 0;
        Double latency = logged ? observed.latencyP99Ms() : reported == null ? null : reported.apiLatencyP99();
        String latencySource = logged ? "request_log" : "reported";
        Double errorRate = logged ? observed.errorRate() : reported == null ? null : reported.errorRate();
        Double storage = reported == null ? null : reported.storageUsage();
        Double activeUsers = logged || reported == null || reported.activeUsers() == null
                ? (double) observed.activePrincipals() : reported.activeUsers();
        HealthMetrics metrics = new HealthMetrics(latency, errorRate, activeUsers, storage, observed.requests(),
                observed.activePrincipals(), observed.from(), observed.to(),
                logged ? "request_log" : reported == null ? "none" : "reported", reported);
        if (latency != null) {
            check(issues, "apiLatencyP99", latency, settings.latencyDegradedMs(), settings.latencyCriticalMs(),
                    settings.latencyDegradedPenalty(), settings.latencyCriticalPenalty(), latencySource,
                    "p99 latency %.0f ms is above %.0f ms");
        }
        if (errorRate != null) {
            check(issues, "errorRate", errorRate, settings.errorRateDegraded(), settings.errorRateCritical(),
                    settings.errorRateDegradedPenalty(), settings.errorRateCriticalPenalty(), latencySource,
                    "error rate %.4f is above %.4f");
        }
        if (storage != null) {
            check(issues, "storageUsage", storage, settings.storageDegradedPercent(),
                    settings.storageCriticalPercent(), settings.storageDegradedPenalty(),
                    settings.storageCriticalPenalty(), "reported", "storage usage %.1f%% is above %.1f%%");
        }
        int score = Math.max(0, 100 - issues.stream().mapToInt(Issue::penalty).sum());
        return new Assessment(score, statusOf(settings, score), metrics, issues);
    }

    public static String statusOf(TenantSettings.Health settings, double score) {
        if (score >= settings.healthyFrom()) {
            return "healthy";
        }
        return score >= settings.degradedFrom() ? "degraded" : "critical";
    }

    private static void check(List<Issue> issues, String metric, double value, double degraded, double critical,
                              int degradedPenalty, int criticalPenalty, String source, String message) {
        if (value > critical) {
            issues.add(new Issue(metric, "critical", value, critical, criticalPenalty, source,
                    message.formatted(value, critical)));
        } else if (value > degraded) {
            issues.add(new Issue(metric, "warning", value, degraded, degradedPenalty, source,
                    message.formatted(value, degraded)));
        }
    }

    /** The metrics a tenant reported in a snapshot; each may be left out. */
    public record Reported(@Nullable Double apiLatencyP99, @Nullable Double errorRate, @Nullable Double activeUsers,
                           @Nullable Double storageUsage) {
    }
}
