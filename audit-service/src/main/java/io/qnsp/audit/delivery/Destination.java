package io.qnsp.audit.delivery;

/**
 * Where a delivery goes, resolved from its owner when it is sent, so an owner's changes (a new URL, a rotated
 * secret) apply to deliveries still pending. Each kind has a {@link DeliveryChannel}.
 */
public interface Destination {
}
