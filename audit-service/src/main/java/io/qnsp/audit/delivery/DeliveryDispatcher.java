package io.qnsp.audit.delivery;

import org.springframework.stereotype.Component;

import java.util.List;

/** Sends a message through the channel of its destination's kind. */
@Component
class DeliveryDispatcher {

    private final List<DeliveryChannel<?>> channels;

    DeliveryDispatcher(List<DeliveryChannel<?>> channels) {
        this.channels = List.copyOf(channels);
    }

    DeliveryResult send(Destination destination, OutgoingMessage message) {
        for (DeliveryChannel<?> channel : channels) {
            if (channel.destinationType().isInstance(destination)) {
                return sendThrough(channel, destination, message);
            }
        }
        return DeliveryResult.failure(null, 0, "no channel for " + destination.getClass().getSimpleName());
    }

    private static <D extends Destination> DeliveryResult sendThrough(DeliveryChannel<D> channel,
                                                                      Destination destination,
                                                                      OutgoingMessage message) {
        long started = System.nanoTime();
        try {
            return channel.send(channel.destinationType().cast(destination), message);
        } catch (RuntimeException e) {
            return DeliveryResult.failure(null, (System.nanoTime() - started) / 1_000_000,
                    e.getClass().getSimpleName());
        }
    }
}
