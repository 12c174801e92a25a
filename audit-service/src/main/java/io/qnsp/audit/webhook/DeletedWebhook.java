package io.qnsp.audit.webhook;

import java.time.Instant;

/** A deleted webhook: it receives nothing more, and its delivery history is gone with it. */
public record DeletedWebhook(String id, String status, Instant deletedAt) {

    static final String DELETED = "deleted";
}
