package io.qnsp.tenant;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of tenant-service ({@code qnsp.tenant}).
 *
 * @param health     the window and thresholds of the health score
 * @param quotaTypes the quota resources the platform counts (as named in {@code @RequiredControls(quota)}), each
 *                   with the name shown to the tenant, in the order they are listed
 * @param usageHistoryDays how many days of daily quota usage samples a forecast fits its line over
 * @param onboarding where the services an onboarding workflow calls are
 */
@ConfigurationProperties("qnsp.tenant")
public record TenantSettings(@DefaultValue Health health, Map<String, String> quotaTypes,
                             @DefaultValue("30") int usageHistoryDays, @DefaultValue Onboarding onboarding) {

    public TenantSettings {
        quotaTypes = quotaTypes == null ? Map.of() : new LinkedHashMap<>(quotaTypes);
    }

    /**
     * @param window                 the span of the request log the observed metrics cover, up to now
     * @param requestRetention       logged requests older than this are deleted
     * @param latencyDegradedMs      a p99 latency above this lowers the score by {@code latencyDegradedPenalty}
     * @param latencyCriticalMs      a p99 latency above this lowers it by {@code latencyCriticalPenalty} instead
     * @param errorRateDegraded      an error rate (server errors per request, 0 to 1) above this lowers the score by
     *                               {@code errorRateDegradedPenalty}
     * @param errorRateCritical      an error rate above this lowers it by {@code errorRateCriticalPenalty} instead
     * @param storageDegradedPercent reported storage usage (percent) above this lowers the score by
     *                               {@code storageDegradedPenalty}
     * @param storageCriticalPercent reported storage usage above this lowers it by {@code storageCriticalPenalty}
     * @param healthyFrom            a score at or above this is healthy
     * @param degradedFrom           a score at or above this (and below healthyFrom) is degraded; below, critical
     */
    public record Health(@DefaultValue("15m") Duration window, @DefaultValue("35d") Duration requestRetention,
                         @DefaultValue("1000") double latencyDegradedMs, @DefaultValue("3000") double latencyCriticalMs,
                         @DefaultValue("15") int latencyDegradedPenalty, @DefaultValue("35") int latencyCriticalPenalty,
                         @DefaultValue("0.01") double errorRateDegraded, @DefaultValue("0.05") double errorRateCritical,
                         @DefaultValue("20") int errorRateDegradedPenalty,
                         @DefaultValue("45") int errorRateCriticalPenalty,
                         @DefaultValue("80") double storageDegradedPercent,
                         @DefaultValue("95") double storageCriticalPercent,
                         @DefaultValue("10") int storageDegradedPenalty, @DefaultValue("30") int storageCriticalPenalty,
                         @DefaultValue("80") int healthyFrom, @DefaultValue("50") int degradedFrom) {
    }

    /**
     * @param authUrl     auth-service: its tenant admin API, its token endpoint
     * @param apiKeysUrl  the DataHub API keys ({@code /api/v1/keys}); auth-service serves them
     * @param callTimeout how long one call to another service may take
     */
    public record Onboarding(@DefaultValue("http://localhost:8081") URI authUrl,
                             @DefaultValue("http://localhost:8081") URI apiKeysUrl,
                             @DefaultValue("10s") Duration callTimeout) {
    }
}
