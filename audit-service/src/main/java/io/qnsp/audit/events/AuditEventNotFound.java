package io.qnsp.audit.events;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The caller's tenant has no audit event with this id (another tenant's event is not told apart from none). */
class AuditEventNotFound extends ApiException {

    AuditEventNotFound() {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "No audit event with this id", Map.of("field", "eventId"));
    }
}
