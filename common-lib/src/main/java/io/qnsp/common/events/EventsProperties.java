package io.qnsp.common.events;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the transactional outbox, its relay to Redis Streams and the stream consumers.
 *
 * @param schemaInitialization create the outbox and consumed-event tables at startup when missing
 * @param relayInterval        how often the relay looks for unpublished events besides the after-commit trigger
 * @param relayBatchSize       rows the relay locks and publishes per database transaction
 * @param maxBackoff           longest pause between attempts while Redis or the database is unreachable
 * @param streamMaxLength      approximate number of entries a stream keeps ({@code XADD MAXLEN ~})
 * @param retention            how long published outbox rows and consumed-event ids are kept
 * @param consumer             settings of the stream consumers
 */
@ConfigurationProperties("qnsp.events")
public record EventsProperties(@DefaultValue("true") boolean schemaInitialization,
                               @DefaultValue("1s") Duration relayInterval,
                               @DefaultValue("100") int relayBatchSize,
                               @DefaultValue("30s") Duration maxBackoff,
                               @DefaultValue("1000000") long streamMaxLength,
                               @DefaultValue("7d") Duration retention,
                               @DefaultValue Consumer consumer) {

    public EventsProperties {
        requirePositive(relayInterval, "qnsp.events.relay-interval");
        requirePositive(maxBackoff, "qnsp.events.max-backoff");
        requirePositive(retention, "qnsp.events.retention");
        if (relayBatchSize < 1) {
            throw new IllegalArgumentException("qnsp.events.relay-batch-size must be at least 1");
        }
        if (streamMaxLength < 1) {
            throw new IllegalArgumentException("qnsp.events.stream-max-length must be at least 1");
        }
    }

    /**
     * Stream consumer settings.
     *
     * @param claimIdle      how long a delivered but unacknowledged message waits before it is reclaimed and retried
     * @param maxDeliveries  deliveries after which a message that still fails is moved to the dead-letter stream
     * @param pollInterval   pause between reads while a stream has nothing new
     * @param batchSize      messages read per {@code XREADGROUP}
     * @param removeIdleAfter how long another instance's consumer of a group must have been idle, with nothing
     *                       pending, before it is removed from the group ({@code XGROUP DELCONSUMER}); a running
     *                       instance renews a mark in Redis that lasts this long, so only consumers of stopped or
     *                       crashed instances are removed
     */
    public record Consumer(@DefaultValue("30s") Duration claimIdle,
                           @DefaultValue("10") int maxDeliveries,
                           @DefaultValue("200ms") Duration pollInterval,
                           @DefaultValue("20") int batchSize,
                           @DefaultValue("10m") Duration removeIdleAfter) {

        public Consumer {
            requirePositive(claimIdle, "qnsp.events.consumer.claim-idle");
            requirePositive(pollInterval, "qnsp.events.consumer.poll-interval");
            requirePositive(removeIdleAfter, "qnsp.events.consumer.remove-idle-after");
            if (removeIdleAfter.compareTo(pollInterval.multipliedBy(5)) < 0) {
                // a sanity bound: a consumer is only taken for abandoned when it missed many reads
                throw new IllegalArgumentException(
                        "qnsp.events.consumer.remove-idle-after must be at least 5 times the poll interval");
            }
            if (maxDeliveries < 1) {
                throw new IllegalArgumentException("qnsp.events.consumer.max-deliveries must be at least 1");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("qnsp.events.consumer.batch-size must be at least 1");
            }
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
