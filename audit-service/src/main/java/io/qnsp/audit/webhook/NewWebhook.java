package io.qnsp.audit.webhook;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * A webhook to create.
 *
 * @param secret  the signing secret ({@code whsec_} + base64 of 8 to 64 bytes); generated when left out
 * @param headers extra headers sent with every delivery
 * @param active  whether events are delivered; {@code true} when left out
 */
public record NewWebhook(String name, String url, List<String> events, @Nullable String secret,
                         @Nullable Map<String, String> headers, @Nullable Boolean active) {

    @Override
    public String toString() {
        // the generated toString would print the secret
        return "NewWebhook[name=" + name + ", url=" + url + ", events=" + events + "]";
    }
}
