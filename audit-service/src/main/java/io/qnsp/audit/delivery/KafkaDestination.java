package io.qnsp.audit.delivery;

import java.util.List;

/**
 * A Kafka topic that receives each message as one record: value the JSON payload, key the payload's
 * {@code eventId} (the delivery id when it has none), headers {@code eventType} and {@code deliveryId}.
 *
 * @param bootstrapServers {@code host:port} of one or more brokers
 * @param clientId         the producer's {@code client.id}; {@code null} for the platform's default
 */
public record KafkaDestination(List<String> bootstrapServers, String topic, String clientId) implements Destination {

    public KafkaDestination {
        bootstrapServers = List.copyOf(bootstrapServers);
    }
}
