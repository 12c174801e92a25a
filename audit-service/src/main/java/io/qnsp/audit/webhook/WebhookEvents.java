package io.qnsp.audit.webhook;

import io.qnsp.audit.events.StoredAuditEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DataHub event catalogue: the events a webhook can subscribe to, and the platform audit actions each stands
 * for. Only successful actions of a tenant become webhook events (a refused or failed attempt changed nothing).
 */
final class WebhookEvents {

    /** Subscribes to every event of the catalogue, including those added later. */
    static final String ALL = "*";
    /** The default event of a test delivery; no platform action sends it. */
    static final String TEST_PING = "test.ping";

    static final String KEY_CREATED = "key.created";
    static final String KEY_UPDATED = "key.updated";
    static final String KEY_ROTATED = "key.rotated";
    static final String KEY_REVOKED = "key.revoked";

    /** The subscribable events, in the catalogue's order. */
    static final List<String> CATALOGUE = List.of(KEY_CREATED, KEY_UPDATED, KEY_ROTATED, KEY_REVOKED);

    private static final String SUCCESS = "success";
    private static final String API_KEY = "api_key";
    private static final Map<String, String> BY_AUDIT_ACTION = byAuditAction();

    private WebhookEvents() {
    }

    private static Map<String, String> byAuditAction() {
        Map<String, String> actions = new LinkedHashMap<>();
        actions.put("auth.api_key.created", KEY_CREATED);
        actions.put("auth.api_key.updated", KEY_UPDATED);
        actions.put("auth.api_key.rotated", KEY_ROTATED);
        actions.put("auth.api_key.revoked", KEY_REVOKED);
        return Map.copyOf(actions);
    }

    /** Whether a webhook may list this name in its {@code events}. */
    static boolean isSubscribable(String name) {
        return ALL.equals(name) || CATALOGUE.contains(name);
    }

    /** Whether a test delivery may carry this event name: the catalogue's or {@code test.ping}. */
    static boolean isTestable(String name) {
        return TEST_PING.equals(name) || CATALOGUE.contains(name);
    }

    /** The DataHub event a stored audit event stands for, if it stands for one. */
    static Optional<String> of(StoredAuditEvent event) {
        if (event.tenantId() == null || !SUCCESS.equals(event.outcome()) || !API_KEY.equals(event.resourceType())) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_AUDIT_ACTION.get(event.eventType()));
    }
}
