package io.qnsp.vault.dynamic;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * The lease cannot be renewed: it expired, it was revoked or its revocation was asked for, or it has reached its
 * config's {@code ttl.max} ({@code details.reason}).
 */
public class LeaseNotRenewable extends ApiException {

    LeaseNotRenewable(String reason, String message) {
        super(HttpStatus.CONFLICT, "lease_not_renewable", message, Map.of("reason", reason));
    }
}
