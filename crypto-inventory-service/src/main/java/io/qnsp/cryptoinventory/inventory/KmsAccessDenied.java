package io.qnsp.cryptoinventory.inventory;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** kms-service refused the caller's own token (the inventory reads the caller's keys as the caller): 403. */
class KmsAccessDenied extends ApiException {

    KmsAccessDenied(int status) {
        super(HttpStatus.FORBIDDEN, "forbidden", "kms-service refused the caller's token (" + status
                + "): reading the inventory needs a token kms-service accepts, with kms:read",
                Map.of("dependency", KmsKeys.KMS));
    }
}
