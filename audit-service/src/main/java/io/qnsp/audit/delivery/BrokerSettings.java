package io.qnsp.audit.delivery;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the Kafka and SQS delivery channels. Each bound keeps an unreachable broker or queue from holding a
 * delivery longer than a few seconds: the attempt fails and the worker retries it later.
 *
 * @param kafkaMaxBlock           how long a send may wait for the topic's metadata ({@code max.block.ms})
 * @param kafkaRequestTimeout     one produce request ({@code request.timeout.ms})
 * @param kafkaDeliveryTimeout    one record from send to acknowledgement, retries included
 *                                ({@code delivery.timeout.ms}, at least the request timeout)
 * @param kafkaIdleProducer       a cached producer unused this long is closed
 * @param kafkaMaxProducers       producers kept open at once; the least recently used is closed beyond that
 * @param sqsConnectTimeout       connecting to the SQS endpoint
 * @param sqsCallTimeout          one SendMessage call
 * @param sqsAllowPlatformCredentials whether an SQS destination without its own access key may send with the
 *                                platform's AWS credentials (its default credential chain); off, since a tenant
 *                                could otherwise write to any queue the platform's role can reach
 */
@ConfigurationProperties("qnsp.audit.deliveries.brokers")
public record BrokerSettings(@DefaultValue("5s") Duration kafkaMaxBlock,
                             @DefaultValue("5s") Duration kafkaRequestTimeout,
                             @DefaultValue("10s") Duration kafkaDeliveryTimeout,
                             @DefaultValue("10m") Duration kafkaIdleProducer,
                             @DefaultValue("100") int kafkaMaxProducers,
                             @DefaultValue("5s") Duration sqsConnectTimeout,
                             @DefaultValue("10s") Duration sqsCallTimeout,
                             @DefaultValue("false") boolean sqsAllowPlatformCredentials) {

    public BrokerSettings {
        if (kafkaDeliveryTimeout.compareTo(kafkaRequestTimeout) < 0) {
            kafkaDeliveryTimeout = kafkaRequestTimeout;
        }
    }
}
