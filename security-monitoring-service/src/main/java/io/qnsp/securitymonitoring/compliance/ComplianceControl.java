package io.qnsp.securitymonitoring.compliance;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant's control of a framework (e.g. SOC2 CC6.1), mapped to the automated checks that give its evidence. */
public record ComplianceControl(UUID controlUuid, String tenantId, String controlId, String framework, String name,
                                @Nullable String description, List<String> requirements,
                                List<String> automatedChecks, Instant createdAt) {
}
