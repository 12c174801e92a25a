package io.qnsp.auth.federation;

import java.time.Instant;
import java.util.UUID;

/** The receipt of a recorded event. */
public record RecordedEvent(UUID eventId, Instant recordedAt, Instant timestamp) {
}
