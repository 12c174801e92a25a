package io.qnsp.audit.delivery;

import java.util.Optional;

/**
 * A kind of thing deliveries belong to (an audit streaming subscription, a DataHub webhook): tells the worker where
 * its deliveries go and hears how they went.
 */
public interface DeliveryOwner {

    /** The owner kind stored with each delivery, e.g. {@code datahub-webhook}. */
    String kind();

    /** Where the owner's deliveries go now; empty when the owner is gone or paused, which cancels the delivery. */
    Optional<Destination> destination(String ownerId);

    /** Told after every attempt, on success and failure alike (counters, last delivery time). */
    default void attempted(String ownerId, OutgoingMessage message, DeliveryResult result) {
    }
}
