package io.qnsp.audit.delivery;

/**
 * Sends messages to one kind of destination. A bean per kind; the worker picks the channel by the destination's
 * class. Sending must not throw for the destination's own failures: it answers a failed result instead.
 */
public interface DeliveryChannel<D extends Destination> {

    Class<D> destinationType();

    DeliveryResult send(D destination, OutgoingMessage message);
}
