package io.qnsp.kms.analytics;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's usage alert rule: its condition is evaluated over the operations of its keys (every key of the tenant
 * when {@code keyIds} is empty), taken together.
 *
 * @param notificationChannels where the tenant wants to hear of its alerts; kept and shown, not yet delivered to
 */
public record AlertRule(UUID ruleId, String tenantId, String name, List<UUID> keyIds, AlertCondition condition,
                        AlertSeverity severity, List<String> notificationChannels, boolean enabled,
                        Instant createdAt, Instant updatedAt) {

    AlertRule changed(String newName, AlertCondition newCondition, AlertSeverity newSeverity, boolean nowEnabled,
                      Instant now) {
        return new AlertRule(ruleId, tenantId, newName, keyIds, newCondition, newSeverity, notificationChannels,
                nowEnabled, createdAt, now);
    }
}
