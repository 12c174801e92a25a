package io.qnsp.audit.delivery;

import io.qnsp.common.error.InvalidField;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Which broker addresses ({@code host:port} of a Kafka bootstrap server) deliveries may connect to: the same rule as
 * {@link WebhookUrlPolicy} for the host, checked when a destination is saved and again before each send. The
 * brokers a Kafka cluster then names in its metadata are not checked.
 */
@Component
public class BrokerAddressPolicy {

    private final WebhookUrlPolicy urls;

    BrokerAddressPolicy(WebhookUrlPolicy urls) {
        this.urls = urls;
    }

    /** The address as {@code host:port}, or an {@link InvalidField} naming {@code field}. */
    public String validate(String field, String address) {
        if (address == null || address.isBlank()) {
            throw new InvalidField(field, "is required");
        }
        URI uri = parse(address.trim())
                .orElseThrow(() -> new InvalidField(field, "must be host:port"));
        refusal(uri).ifPresent(reason -> {
            throw new InvalidField(field, reason);
        });
        return address.trim();
    }

    /** Why the address may not be connected to now, if it may not. */
    Optional<String> refusal(String address) {
        return parse(address).map(this::refusal).orElse(Optional.of("not host:port"));
    }

    private Optional<String> refusal(URI uri) {
        return urls.refusal(uri);
    }

    private static Optional<URI> parse(String address) {
        if (address.length() > 300 || address.contains("/") || address.contains("@") || address.contains("?")
                || address.contains("#")) {
            return Optional.empty();
        }
        try {
            URI uri = new URI("kafka://" + address);
            if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
