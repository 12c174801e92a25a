package io.qnsp.audit.retention;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A cleanup could not write its archive, so it deleted nothing (503: the storage may recover; the policy and its
 * events are unchanged, and the same cleanup can be retried).
 */
class ArchiveUnavailable extends ApiException {

    ArchiveUnavailable() {
        super(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE,
                "The archive could not be written; no event was deleted",
                Map.of("archive", "unavailable", "eventsDeleted", 0));
    }
}
