package io.qnsp.gateway.docs;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A routed service's OpenAPI document cannot be fetched: the service is not running, or does not answer in time. */
final class ServiceDocumentUnavailable extends ApiException {

    ServiceDocumentUnavailable(String service, String reason) {
        super(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE, "The API document of " + service
                + " cannot be loaded: " + ("timeout".equals(reason) ? "the service did not answer in time"
                : "the service is not running or cannot be reached"), Map.of("service", service, "reason", reason));
    }
}
