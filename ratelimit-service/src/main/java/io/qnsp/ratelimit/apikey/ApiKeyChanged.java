package io.qnsp.ratelimit.apikey;

import java.util.UUID;

/** A key was created, changed or deleted; caches of its settings must be dropped (after commit). */
record ApiKeyChanged(UUID keyId, String fingerprint) {
}
