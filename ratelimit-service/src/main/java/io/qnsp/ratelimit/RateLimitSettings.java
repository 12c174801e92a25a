package io.qnsp.ratelimit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of ratelimit-service.
 *
 * @param keyEncryptionKey  base64 of 32 random bytes: AES-256-GCM key that encrypts API keys at rest
 * @param keyHashSecret     base64 of at least 32 random bytes: HMAC-SHA256 secret of the key lookup hash
 * @param defaultLimits     limits a new key gets when its creation names none
 * @param metricsFlushInterval how often per-key decision counts are written to PostgreSQL
 * @param maxMetricsRange   the longest {@code from}–{@code to} range the metrics endpoint serves
 * @param maxMinuteSeriesRange the longest range served with per-minute points
 * @param keyCacheTtl       how long a key's settings may be served from memory at most; change notices, resent until
 *                          Redis takes them, drop an entry long before that
 */
@Validated
@ConfigurationProperties("qnsp.ratelimit-service")
public record RateLimitSettings(@NotBlank String keyEncryptionKey,
                                @NotBlank String keyHashSecret,
                                @Valid @NotNull @DefaultValue DefaultLimits defaultLimits,
                                @DefaultValue("5s") Duration metricsFlushInterval,
                                @DefaultValue("93d") Duration maxMetricsRange,
                                @DefaultValue("24h") Duration maxMinuteSeriesRange,
                                @DefaultValue("5m") Duration keyCacheTtl) {

    /** Limits of a key created without explicit ones. */
    public record DefaultLimits(@DefaultValue("10") @Min(1) @Max(1_000_000) int tokensPerSecond,
                                @DefaultValue("50") @Min(1) @Max(10_000_000) int burstCapacity) {
    }
}
