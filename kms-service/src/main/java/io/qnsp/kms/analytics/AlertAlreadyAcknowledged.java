package io.qnsp.kms.analytics;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.util.Map;

/** The alert was acknowledged before: the first acknowledgement stands. */
public class AlertAlreadyAcknowledged extends ApiException {

    AlertAlreadyAcknowledged(String by, Instant at) {
        super(HttpStatus.CONFLICT, "alert_already_acknowledged", "The alert was already acknowledged",
                Map.of("acknowledgedBy", by, "acknowledgedAt", at.toString()));
    }
}
