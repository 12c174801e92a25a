package io.qnsp.tenant.isolation;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** No isolation audit of that id in the caller's tenant (another tenant's is not found either). */
class AuditNotFound extends ApiException {

    AuditNotFound(String auditId) {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "Isolation audit not found", Map.of("auditId", auditId));
    }
}
