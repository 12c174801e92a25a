package io.qnsp.audit.delivery;

import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * POSTs the message as JSON with Standard Webhooks signature headers. A 2xx answer is a success; anything else, a
 * timeout or a refused connection is a failure to retry. Redirects are not followed (they could lead inward).
 */
@Component
class WebhookChannel implements DeliveryChannel<WebhookDestination> {

    static final String USER_AGENT = "QNSP-Webhooks/1.0";

    private final HttpClient client;
    private final DeliverySettings settings;
    private final WebhookUrlPolicy policy;

    WebhookChannel(DeliverySettings settings, WebhookUrlPolicy policy) {
        this.settings = settings;
        this.policy = policy;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Class<WebhookDestination> destinationType() {
        return WebhookDestination.class;
    }

    @Override
    public DeliveryResult send(WebhookDestination destination, OutgoingMessage message) {
        long started = System.nanoTime();
        Optional<String> refused = policy.refusal(destination.url());
        if (refused.isPresent()) {
            return DeliveryResult.failure(null, 0, "target refused: " + refused.get());
        }
        // signed at send time: a late retry still passes receivers' timestamp tolerance
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(destination.url())
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", message.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature",
                        WebhookSignature.sign(destination.secret(), message.id(), timestamp, message.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(message.payload()));
        for (Map.Entry<String, String> header : destination.headers().entrySet()) {
            if (!WebhookDestination.isReservedHeader(header.getKey())) {
                request.header(header.getKey(), header.getValue());
            }
        }
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            long duration = millisSince(started);
            int status = response.statusCode();
            return status >= 200 && status < 300
                    ? DeliveryResult.success(status, duration)
                    : DeliveryResult.failure(status, duration, "target answered " + status);
        } catch (HttpTimeoutException e) {
            return DeliveryResult.failure(null, millisSince(started), "timed out");
        } catch (IOException e) {
            return DeliveryResult.failure(null, millisSince(started), "connection failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.failure(null, millisSince(started), "interrupted");
        } catch (IllegalArgumentException e) {
            return DeliveryResult.failure(null, millisSince(started), "request refused: " + e.getMessage());
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
