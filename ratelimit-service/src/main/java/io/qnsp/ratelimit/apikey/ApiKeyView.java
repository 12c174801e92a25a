package io.qnsp.ratelimit.apikey;

import java.time.Instant;
import java.util.UUID;

/** What an operator sees of a key, including the key itself (decrypted for the admin API only). */
public record ApiKeyView(UUID keyId, String apiKey, String name, String description, String status,
                         Instant createdAt, Instant updatedAt, Limits limits) {
}
