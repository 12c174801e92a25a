package io.qnsp.auth.risk;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored threat signal. {@code ipAddress} is {@code null} once {@code qnsp.auth.risk.ip-address-retention} has
 * passed.
 */
public record SignalView(UUID signalId, String userId, SignalType signalType, Severity severity, Instant recordedAt,
                         String ipAddress, String userAgent, JsonNode details) {
}
