package io.qnsp.securitymonitoring.playbook;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's automated response: the audit events that trigger it and the actions it takes.
 *
 * @param dryRun            executions a trigger starts act on nothing and only log what they would do
 * @param responderClientId the tenant's OAuth2 client whose token acts for executions a trigger starts
 * @param responderSecret   that client's secret, sealed (never stored or logged in clear)
 */
public record Playbook(UUID playbookId, String tenantId, String name, @Nullable String description, Trigger trigger,
                       List<Action> actions, boolean enabled, boolean dryRun, @Nullable String responderClientId,
                       byte @Nullable [] responderSecret, Instant createdAt) {

    /** Levels in rising order. */
    public static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

    /**
     * @param eventTypes        audit event actions that trigger the playbook (e.g. {@code auth.api_key.verification_failed})
     * @param severityThreshold the least severity of an event that triggers it; null for any
     * @param filters           further conditions, see {@link TriggerFilters}
     */
    public record Trigger(List<String> eventTypes, @Nullable String severityThreshold, TriggerFilters filters) {
    }

    /**
     * @param type   isolate (disable a kms key), block (revoke an API key), rotate (deprecate a secret version),
     *               notify or webhook (POST the incident to a URL)
     */
    public record Action(String type, Map<String, Object> parameters, boolean requiresApproval) {
    }

    public boolean needsApproval() {
        return actions.stream().anyMatch(Action::requiresApproval);
    }
}
