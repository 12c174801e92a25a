package io.qnsp.audit.delivery;

import java.net.URI;

/**
 * An Amazon SQS queue (or an SQS-compatible one such as ElasticMQ or LocalStack) that receives each message with
 * the JSON payload as its body and the attributes {@code eventType} and {@code deliveryId}.
 *
 * @param endpoint        where the SQS API is reached; {@code null} for AWS's own endpoint of the region
 * @param accessKeyId     with {@code secretAccessKey}, the credentials to send with; both {@code null} to use the
 *                        platform's own AWS credentials (only when {@code qnsp.audit.deliveries.sqs
 *                        .allow-platform-credentials} is on)
 * @param secretAccessKey in plain text, held only in memory (sealed at rest by the owner)
 * @param messageGroupId  the message group of a FIFO queue ({@code .fifo}); ignored otherwise
 */
public record SqsDestination(URI queueUrl, String region, URI endpoint, String accessKeyId, String secretAccessKey,
                             String messageGroupId) implements Destination {

    /** Whether the queue is a FIFO queue, which needs a message group and a deduplication id. */
    public boolean fifo() {
        return queueUrl.getPath() != null && queueUrl.getPath().endsWith(".fifo");
    }

    @Override
    public String toString() {
        return "SqsDestination[queueUrl=" + queueUrl + ", region=" + region + ", endpoint=" + endpoint
                + ", accessKeyId=" + accessKeyId + "]";
    }
}
