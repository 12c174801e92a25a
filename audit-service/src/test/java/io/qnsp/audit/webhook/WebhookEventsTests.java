package io.qnsp.audit.webhook;

import io.qnsp.audit.events.StoredAuditEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookEventsTests {

    private static StoredAuditEvent event(String tenant, String action, String resourceType, String outcome) {
        return new StoredAuditEvent(1, UUID.randomUUID(), action, "auth-service", "info", tenant, "user-1",
                resourceType, "key_1", outcome, "rid", Instant.EPOCH, Map.of());
    }

    @Test
    void successfulKeyActionsOfATenantAreCatalogueEvents() {
        assertThat(WebhookEvents.of(event("t", "auth.api_key.created", "api_key", "success")))
                .contains("key.created");
        assertThat(WebhookEvents.of(event("t", "auth.api_key.updated", "api_key", "success")))
                .contains("key.updated");
        assertThat(WebhookEvents.of(event("t", "auth.api_key.rotated", "api_key", "success")))
                .contains("key.rotated");
        assertThat(WebhookEvents.of(event("t", "auth.api_key.revoked", "api_key", "success")))
                .contains("key.revoked");
    }

    @Test
    void failuresPlatformEventsAndOtherActionsAreNot() {
        assertThat(WebhookEvents.of(event("t", "auth.api_key.created", "api_key", "failure"))).isEmpty();
        assertThat(WebhookEvents.of(event("t", "auth.api_key.created", "api_key", "denied"))).isEmpty();
        assertThat(WebhookEvents.of(event(null, "auth.api_key.created", "api_key", "success"))).isEmpty();
        assertThat(WebhookEvents.of(event("t", "auth.api_key.created", "user", "success"))).isEmpty();
        assertThat(WebhookEvents.of(event("t", "ratelimit.api_key.created", "api_key", "success")))
                .isEqualTo(Optional.empty());
        assertThat(WebhookEvents.of(event("t", "datahub.webhook.created", "webhook", "success"))).isEmpty();
    }

    @Test
    void subscriptionsNameCatalogueEventsOrEverything() {
        assertThat(WebhookEvents.isSubscribable("*")).isTrue();
        assertThat(WebhookEvents.isSubscribable("key.revoked")).isTrue();
        assertThat(WebhookEvents.isSubscribable("test.ping")).isFalse();
        assertThat(WebhookEvents.isSubscribable("key.*")).isFalse();
        assertThat(WebhookEvents.isTestable("test.ping")).isTrue();
        assertThat(WebhookEvents.isTestable("key.created")).isTrue();
        assertThat(WebhookEvents.isTestable("*")).isFalse();
    }
}
