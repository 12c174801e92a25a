package io.qnsp.kms.byohsm;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The connection's token could not be used as configured: its library, slot, login or key failed. */
public class HsmUnavailable extends ApiException {

    HsmUnavailable(String stage, String reason) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "hsm_unavailable", "The HSM " + stage + " failed: " + reason,
                Map.of("stage", stage, "reason", reason));
    }
}
