package io.qnsp.storage.retention;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.util.Map;

/** A hold is released once. */
class HoldAlreadyReleased extends ApiException {

    HoldAlreadyReleased(Instant releasedAt) {
        super(HttpStatus.CONFLICT, "legal_hold_released", "The legal hold was already released",
                Map.of("releasedAt", releasedAt.toString()));
    }
}
