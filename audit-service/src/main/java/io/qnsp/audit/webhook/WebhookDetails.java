package io.qnsp.audit.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A webhook as the API shows it. {@code secret} is present only in the answer that set it (creation, or an update
 * that changed it); every other answer leaves it out.
 *
 * @param status {@code active} or {@code inactive}, as {@code active} says
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WebhookDetails(String id, String name, String url, List<String> events, Map<String, String> headers,
                             boolean active, String status,
                             @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret,
                             Instant createdAt, Instant updatedAt) {

    static final String ACTIVE = "active";
    static final String INACTIVE = "inactive";

    static WebhookDetails of(Webhook webhook, String secret) {
        return new WebhookDetails(webhook.id(), webhook.name(), webhook.url(), webhook.events(), webhook.headers(),
                webhook.active(), webhook.active() ? ACTIVE : INACTIVE, secret, webhook.createdAt(),
                webhook.updatedAt());
    }

    @Override
    public String toString() {
        // the generated toString would print the secret
        return "WebhookDetails[id=" + id + ", name=" + name + ", url=" + url + ", status=" + status + "]";
    }
}
