package io.qnsp.audit.delivery;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends each message to an SQS queue with AWS SDK v2 over one shared URL-connection HTTP client. The SDK does not
 * retry (the delivery worker does, with its own backoff); one call is bounded by {@code sqs-call-timeout}. A FIFO
 * queue gets the destination's message group and the delivery id as deduplication id, so a retried delivery is
 * not queued twice within SQS's deduplication window.
 */
@Component
class SqsChannel implements DeliveryChannel<SqsDestination>, DisposableBean {

    static final String DEFAULT_MESSAGE_GROUP = "qnsp-audit";
    private static final int MAX_CLIENTS = 200;

    private final BrokerSettings settings;
    private final WebhookUrlPolicy policy;
    private final SdkHttpClient http;
    private final Map<ClientKey, SqsClient> clients = new ConcurrentHashMap<>();

    SqsChannel(BrokerSettings settings, WebhookUrlPolicy policy) {
        this.settings = settings;
        this.policy = policy;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(settings.sqsConnectTimeout())
                .socketTimeout(settings.sqsCallTimeout())
                .build();
    }

    /** Clients are keyed by a digest of the credentials, never the secret itself. */
    private record ClientKey(String region, URI endpoint, String accessKeyId, String secretDigest) {
    }

    @Override
    public Class<SqsDestination> destinationType() {
        return SqsDestination.class;
    }

    @Override
    public DeliveryResult send(SqsDestination destination, OutgoingMessage message) {
        long started = System.nanoTime();
        if (destination.endpoint() != null) {
            Optional<String> refused = policy.refusal(destination.endpoint());
            if (refused.isPresent()) {
                return DeliveryResult.failure(null, 0, "endpoint refused: " + refused.get());
            }
        }
        if (destination.accessKeyId() == null && !settings.sqsAllowPlatformCredentials()) {
            return DeliveryResult.failure(null, 0, "sqs: the destination has no credentials of its own");
        }
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        if (message.eventType() != null) {
            attributes.put("eventType", text(message.eventType()));
        }
        attributes.put("deliveryId", text(message.id()));
        SendMessageRequest.Builder request = SendMessageRequest.builder()
                .queueUrl(destination.queueUrl().toString())
                .messageBody(message.payload())
                .messageAttributes(attributes);
        if (destination.fifo()) {
            request.messageGroupId(destination.messageGroupId() == null ? DEFAULT_MESSAGE_GROUP
                    : destination.messageGroupId()).messageDeduplicationId(message.id());
        }
        try {
            client(destination).sendMessage(request.build());
            return DeliveryResult.success(null, millisSince(started));
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return DeliveryResult.failure(e.statusCode() > 0 ? e.statusCode() : null, millisSince(started),
                    "sqs: " + (code == null ? e.getClass().getSimpleName() : code));
        } catch (SdkException e) {
            return DeliveryResult.failure(null, millisSince(started), "sqs: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private SqsClient client(SqsDestination destination) {
        ClientKey key = new ClientKey(destination.region(), destination.endpoint(), destination.accessKeyId(),
                digest(destination.secretAccessKey()));
        SqsClient existing = clients.get(key);
        if (existing != null) {
            return existing;
        }
        if (clients.size() >= MAX_CLIENTS) {
            // rarely reached: dropping all is simpler than tracking use, and clients are cheap to rebuild
            clients.values().forEach(SqsClient::close);
            clients.clear();
        }
        return clients.computeIfAbsent(key, k -> build(destination));
    }

    private SqsClient build(SqsDestination destination) {
        AwsCredentialsProvider credentials = destination.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(destination.accessKeyId(),
                destination.secretAccessKey()));
        var builder = SqsClient.builder()
                .region(Region.of(destination.region()))
                .httpClient(http)
                .credentialsProvider(credentials)
                .overrideConfiguration(c -> c.apiCallTimeout(settings.sqsCallTimeout())
                        .apiCallAttemptTimeout(settings.sqsCallTimeout())
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (destination.endpoint() != null) {
            builder.endpointOverride(destination.endpoint());
        }
        return builder.build();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static String digest(String secret) {
        if (secret == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public void destroy() {
        clients.values().forEach(SqsClient::close);
        clients.clear();
        http.close();
    }
}
