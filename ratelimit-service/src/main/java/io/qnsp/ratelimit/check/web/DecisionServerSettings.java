package io.qnsp.ratelimit.check.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the decision server: {@code POST /v1/check} on a port of its own, served by Netty outside the
 * servlet stack.
 *
 * @param enabled          whether the decision server runs at all ({@code /v1/check} on the main port always does)
 * @param port             its port; 0 picks a free one
 * @param bindAddress      the address it listens on
 * @param maxBodySize      the largest request body accepted; longer ones are answered 413
 * @param idleTimeout      a connection with no request in progress for this long is closed
 * @param shutdownGrace    how long a shutdown waits for requests in progress to be answered
 * @param eventLoopThreads threads serving connections; 0 means one per available processor
 * @param keyLookupThreads the most keys read from PostgreSQL at once (keys not in memory); more wait in a queue
 */
@Validated
@ConfigurationProperties("qnsp.ratelimit.decision-server")
public record DecisionServerSettings(@DefaultValue("true") boolean enabled,
                                     @DefaultValue("8187") @Min(0) @Max(65535) int port,
                                     @DefaultValue("0.0.0.0") @NotBlank String bindAddress,
                                     @DefaultValue("64KB") DataSize maxBodySize,
                                     @DefaultValue("60s") Duration idleTimeout,
                                     @DefaultValue("30s") Duration shutdownGrace,
                                     @DefaultValue("0") @Min(0) int eventLoopThreads,
                                     @DefaultValue("16") @Min(1) int keyLookupThreads) {
}
