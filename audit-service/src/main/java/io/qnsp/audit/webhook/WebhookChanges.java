package io.qnsp.audit.webhook;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * Changes to a webhook; {@code null} leaves a field as it is, and a given field follows the rules of creation.
 * {@code headers} replaces the whole map ({@code {}} removes all). The secret changes to {@code secret} when one is
 * given, or to a newly generated one when {@code rotateSecret} is true (not both); the answer then shows it, once.
 */
public record WebhookChanges(@Nullable String name, @Nullable String url, @Nullable List<String> events,
                             @Nullable Map<String, String> headers, @Nullable Boolean active,
                             @Nullable String secret, @Nullable Boolean rotateSecret) {

    boolean changesSecret() {
        return secret != null || Boolean.TRUE.equals(rotateSecret);
    }

    @Override
    public String toString() {
        // the generated toString would print the secret
        return "WebhookChanges[name=" + name + ", url=" + url + ", events=" + events + ", active=" + active
                + ", changesSecret=" + changesSecret() + "]";
    }
}
