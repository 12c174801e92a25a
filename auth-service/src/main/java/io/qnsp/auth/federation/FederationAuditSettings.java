package io.qnsp.auth.federation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the federated audit ({@code qnsp.auth.federation.*}).
 *
 * @param cursorSecret             base64 of at least 32 random bytes: HMAC key that makes query cursors tamper-proof;
 *                                 when blank, a random key per process (cursors then do not survive a restart or
 *                                 cross instances: the client gets a 400 and starts over)
 * @param maxMetadataSize          the largest {@code metadata} object of an event, serialized as JSON
 * @param maxEventAge              how far in the past an event's {@code timestamp} may lie
 * @param maxClockSkew             how far in the future an event's {@code timestamp} may lie (provider clocks drift)
 * @param maxReportRange           the longest {@code startDate}–{@code endDate} range of a report
 * @param repeatedFailureThreshold failures from which a security report lists a user as repeatedly failing
 * @param reportConcurrency        reports generated at the same time by one instance
 * @param reportLease              how long a report being generated may stay claimed before it is considered
 *                                 abandoned (its instance crashed) and generated again
 * @param reportMaxAttempts        generations a report gets before it is marked {@code failed}
 * @param reportSweepInterval      how often abandoned or undispatched pending reports are looked for
 */
@Validated
@ConfigurationProperties("qnsp.auth.federation")
public record FederationAuditSettings(String cursorSecret,
                                      @DefaultValue("8KB") DataSize maxMetadataSize,
                                      @DefaultValue("30d") Duration maxEventAge,
                                      @DefaultValue("5m") Duration maxClockSkew,
                                      @DefaultValue("366d") Duration maxReportRange,
                                      @DefaultValue("3") @Min(2) @Max(1000) int repeatedFailureThreshold,
                                      @DefaultValue("2") @Min(1) @Max(32) int reportConcurrency,
                                      @DefaultValue("5m") Duration reportLease,
                                      @DefaultValue("3") @Min(1) @Max(100) int reportMaxAttempts,
                                      @DefaultValue("1m") Duration reportSweepInterval) {

    @Override
    public String toString() {
        // the generated toString would print the cursor secret
        return "FederationAuditSettings[cursorSecret=" + (cursorSecret == null || cursorSecret.isBlank() ? "" : "***")
                + ", maxMetadataSize=" + maxMetadataSize + ", maxEventAge=" + maxEventAge + ", maxClockSkew="
                + maxClockSkew + ", maxReportRange=" + maxReportRange + ", repeatedFailureThreshold="
                + repeatedFailureThreshold + ", reportConcurrency=" + reportConcurrency + ", reportLease="
                + reportLease + ", reportMaxAttempts=" + reportMaxAttempts + ", reportSweepInterval="
                + reportSweepInterval + "]";
    }
}
