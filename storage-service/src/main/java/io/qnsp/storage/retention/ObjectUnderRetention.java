package io.qnsp.storage.retention;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An object within a retention policy's period is neither overwritten nor deleted until the period ends. */
class ObjectUnderRetention extends ApiException {

    ObjectUnderRetention(UUID policyId, Instant retainUntil) {
        super(HttpStatus.CONFLICT, "object_under_retention", "The object is retained until " + retainUntil,
                Map.of("policyId", policyId.toString(), "retainUntil", retainUntil.toString()));
    }
}
