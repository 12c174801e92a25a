package io.qnsp.audit.webhook;

import io.qnsp.audit.delivery.DeliveryOwner;
import io.qnsp.audit.delivery.Destination;
import io.qnsp.audit.delivery.DestinationSecrets;
import io.qnsp.audit.delivery.WebhookDestination;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.util.Optional;

/**
 * Owns the deliveries of DataHub webhooks (owner kind {@value #KIND}, owner id the webhook id): resolves a
 * webhook's URL, opened secret and headers when a delivery is sent, so pending deliveries follow a changed URL or
 * secret. An inactive or deleted webhook has no destination, which cancels its pending deliveries.
 */
@Component
class WebhookDestinations implements DeliveryOwner {

    static final String KIND = "datahub-webhook";

    private final Webhooks webhooks;
    private final DestinationSecrets secrets;

    WebhookDestinations(Webhooks webhooks, DestinationSecrets secrets) {
        this.webhooks = webhooks;
        this.secrets = secrets;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Optional<Destination> destination(String webhookId) {
        return webhooks.target(webhookId).map(this::destination);
    }

    WebhookDestination destination(Webhooks.Target target) {
        return new WebhookDestination(URI.create(target.url()), secrets.open(target.sealedSecret()),
                target.headers());
    }
}
