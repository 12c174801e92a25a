package io.qnsp.audit.streaming;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of audit streaming.
 *
 * @param heartbeatInterval          how often an open SSE stream gets a comment line, so proxies keep it open and a
 *                                   vanished client is noticed
 * @param maxStreamDuration          how long one SSE stream stays open before the server ends it (clients
 *                                   reconnect with {@code Last-Event-ID} and miss nothing); {@code 0} for no limit
 * @param reconnectDelay             the {@code retry:} advice sent to SSE clients
 * @param maxSubscriptionsPerTenant  subscriptions one tenant may have
 * @param connectionTtl              how long an SSE stream counts as open without a heartbeat (a crashed instance's
 *                                   streams stop counting after this)
 * @param rateWindow                 the window {@code eventsPerSecond} averages over
 * @param counterFlushInterval       how often per-instance counts of streamed events are added to the store
 */
@Validated
@ConfigurationProperties("qnsp.audit.streaming")
public record StreamingSettings(@DefaultValue("15s") Duration heartbeatInterval,
                                @DefaultValue("1h") Duration maxStreamDuration,
                                @DefaultValue("3s") Duration reconnectDelay,
                                @DefaultValue("100") @Min(1) @Max(10_000) int maxSubscriptionsPerTenant,
                                @DefaultValue("45s") Duration connectionTtl,
                                @DefaultValue("60s") Duration rateWindow,
                                @DefaultValue("5s") Duration counterFlushInterval) {
}
