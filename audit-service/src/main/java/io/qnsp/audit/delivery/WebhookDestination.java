package io.qnsp.audit.delivery;

import java.net.URI;
import java.util.Map;

/**
 * An HTTPS (or HTTP) endpoint that receives signed POSTs.
 *
 * @param url     the validated target
 * @param secret  the signing secret in plain text (held only in memory, sealed at rest by its owner)
 * @param headers extra headers the owner asked for
 */
public record WebhookDestination(URI url, String secret, Map<String, String> headers) implements Destination {

    public WebhookDestination {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "WebhookDestination[url=" + url + ", headers=" + headers.keySet() + "]";
    }
}
