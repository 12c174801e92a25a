package io.qnsp.vault.dynamic;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/**
 * Another worker (the sweeper of an instance, or another revoke request) is dropping the lease's account right now;
 * the vault does not drop it twice. The lease's status shows the outcome shortly.
 */
public class LeaseRevocationInProgress extends ApiException {

    LeaseRevocationInProgress() {
        super(HttpStatus.CONFLICT, "lease_revocation_in_progress",
                "The lease is being revoked by another request or by the expiry sweeper; list the leases to see "
                        + "its outcome");
    }
}
