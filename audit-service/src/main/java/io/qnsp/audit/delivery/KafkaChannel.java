package io.qnsp.audit.delivery;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Produces each message as one record with the plain Kafka client: {@code acks=all} and idempotence on, so an
 * acknowledged record is on every in-sync replica and a retried send is not written twice. One producer per
 * cluster address and client id is kept open and shared; a broker that cannot be reached fails the attempt within
 * the configured bounds instead of holding it.
 */
@Component
class KafkaChannel implements DeliveryChannel<KafkaDestination>, DisposableBean {

    static final String DEFAULT_CLIENT_ID = "qnsp-audit";

    private final BrokerSettings settings;
    private final BrokerAddressPolicy policy;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();
    private final Map<ProducerKey, CachedProducer> cache = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("audit-kafka-producers").daemon().factory());

    KafkaChannel(BrokerSettings settings, BrokerAddressPolicy policy, JsonMapper json) {
        this.settings = settings;
        this.policy = policy;
        this.json = json;
        long sweep = Math.clamp(settings.kafkaIdleProducer().toMillis() / 2, 1_000, 60_000);
        sweeper.scheduleWithFixedDelay(() -> evictIdle(clock.instant()), sweep, sweep, TimeUnit.MILLISECONDS);
    }

    private record ProducerKey(String bootstrapServers, String clientId) {
    }

    private static final class CachedProducer {

        final Producer<String, String> producer;
        volatile Instant lastUsed;

        CachedProducer(Producer<String, String> producer, Instant lastUsed) {
            this.producer = producer;
            this.lastUsed = lastUsed;
        }
    }

    @Override
    public Class<KafkaDestination> destinationType() {
        return KafkaDestination.class;
    }

    @Override
    public DeliveryResult send(KafkaDestination destination, OutgoingMessage message) {
        long started = System.nanoTime();
        for (String address : destination.bootstrapServers()) {
            Optional<String> refused = policy.refusal(address);
            if (refused.isPresent()) {
                return DeliveryResult.failure(null, 0, "broker refused: " + refused.get());
            }
        }
        ProducerKey key = new ProducerKey(String.join(",", destination.bootstrapServers()),
                destination.clientId() == null ? DEFAULT_CLIENT_ID : destination.clientId());
        CachedProducer cached = producer(key);
        ProducerRecord<String, String> record = new ProducerRecord<>(destination.topic(), recordKey(message),
                message.payload());
        if (message.eventType() != null) {
            record.headers().add("eventType", message.eventType().getBytes(StandardCharsets.UTF_8));
        }
        record.headers().add("deliveryId", message.id().getBytes(StandardCharsets.UTF_8));
        try {
            cached.producer.send(record).get(settings.kafkaDeliveryTimeout().plusSeconds(2).toMillis(),
                    TimeUnit.MILLISECONDS);
            return DeliveryResult.success(null, millisSince(started));
        } catch (ExecutionException e) {
            // the next attempt starts with a fresh producer: a fatal producer error is not cured by the same one,
            // and a producer left open towards an unreachable cluster would keep reconnecting until it idles out
            discard(key, cached);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return DeliveryResult.failure(null, millisSince(started), describe(cause));
        } catch (TimeoutException e) {
            discard(key, cached);
            return DeliveryResult.failure(null, millisSince(started), "kafka: no acknowledgement in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.failure(null, millisSince(started), "interrupted");
        } catch (KafkaException e) {
            discard(key, cached);
            return DeliveryResult.failure(null, millisSince(started), describe(e));
        }
    }

    private CachedProducer producer(ProducerKey key) {
        Instant now = clock.instant();
        if (!cache.containsKey(key)) {
            makeRoom();
        }
        CachedProducer cached = cache.computeIfAbsent(key, k -> new CachedProducer(new KafkaProducer<>(config(k)), now));
        cached.lastUsed = now;
        return cached;
    }

    Properties config(ProducerKey key) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, key.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, key.clientId());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) settings.kafkaMaxBlock().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.kafkaRequestTimeout().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.kafkaDeliveryTimeout().toMillis());
        config.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
                (int) Math.min(settings.kafkaRequestTimeout().toMillis(), 10_000));
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }

    private void evictIdle(Instant now) {
        Instant idleSince = now.minus(settings.kafkaIdleProducer());
        cache.forEach((key, cached) -> {
            if (cached.lastUsed.isBefore(idleSince)) {
                discard(key, cached);
            }
        });
    }

    private void makeRoom() {
        while (cache.size() >= Math.max(1, settings.kafkaMaxProducers())) {
            cache.entrySet().stream().min(Comparator.comparing(e -> e.getValue().lastUsed))
                    .ifPresent(e -> discard(e.getKey(), e.getValue()));
        }
    }

    private void discard(ProducerKey key, CachedProducer cached) {
        if (cache.remove(key, cached)) {
            close(cached);
        }
    }

    private static void close(CachedProducer cached) {
        try {
            cached.producer.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            // closing is best effort
        }
    }

    /** The payload's top-level {@code eventId}, so a topic can be compacted or deduplicated by event. */
    private String recordKey(OutgoingMessage message) {
        try {
            JsonNode eventId = json.readTree(message.payload()).get("eventId");
            if (eventId != null && eventId.isString()) {
                return eventId.asString();
            }
        } catch (RuntimeException e) {
            // not JSON: keyed by the delivery
        }
        return message.id();
    }

    private static String describe(Throwable failure) {
        String text = failure.getMessage();
        return "kafka: " + failure.getClass().getSimpleName() + (text == null ? "" : ": " + text);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public void destroy() {
        sweeper.shutdownNow();
        cache.forEach(this::discard);
    }
}
