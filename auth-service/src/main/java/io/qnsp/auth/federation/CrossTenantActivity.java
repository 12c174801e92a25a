package io.qnsp.auth.federation;

import java.time.Instant;

/** Events in which users of {@code sourceTenantId} acted in {@code targetTenantId}, within a period. */
public record CrossTenantActivity(String sourceTenantId, String targetTenantId, long eventCount,
                                  Instant lastActivityAt) {
}
