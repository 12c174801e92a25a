package io.qnsp.audit.webhook;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The caller's tenant has no webhook with this id (another tenant's webhook is not told apart from none). */
class WebhookNotFound extends ApiException {

    WebhookNotFound() {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "No webhook with this id", Map.of("field", "id"));
    }
}
