package io.qnsp.auth.risk;

import tools.jackson.databind.JsonNode;

/**
 * A threat signal reported for a user.
 *
 * @param userId     the user the threat concerns
 * @param signalType what was observed
 * @param severity   how serious it is
 * @param ipAddress  the client's IP address literal, or {@code null}
 * @param userAgent  the client's user agent, or {@code null}
 * @param details    further facts as a JSON object, or {@code null}
 */
public record SignalReport(String userId, SignalType signalType, Severity severity, String ipAddress,
                           String userAgent, JsonNode details) {

    /** The largest {@code details} object accepted, in bytes of compact JSON. */
    static final int MAX_DETAILS_BYTES = 16 * 1024;

    public SignalReport {
        if (userId == null || userId.isBlank()) {
            throw new InvalidRiskInput("userId", "must not be blank");
        }
        userId = userId.strip();
        if (signalType == null) {
            throw new InvalidRiskInput("signalType", "is required");
        }
        if (severity == null) {
            throw new InvalidRiskInput("severity", "is required");
        }
        if (ipAddress != null) {
            ipAddress = ipAddress.strip();
            if (!NetworkAddresses.isLiteral(ipAddress)) {
                throw new InvalidRiskInput("metadata.ipAddress", "must be an IPv4 or IPv6 address");
            }
        }
        if (details != null && details.isNull()) {
            details = null;
        }
        if (details != null && !details.isObject()) {
            throw new InvalidRiskInput("metadata.details", "must be an object");
        }
    }
}
