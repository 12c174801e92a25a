package io.qnsp.kms.escrow;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * The escrow or recovery request is in a state that does not allow the step: a closed or expired request, an
 * escrow already recovered, a share already submitted, a second decision by the same caller, an early execution.
 */
class RecoveryConflict extends ApiException {

    RecoveryConflict(String status, String message) {
        super(HttpStatus.CONFLICT, "escrow_state_conflict", message, Map.of("status", status));
    }
}
