package io.qnsp.cryptoinventory.hardware;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** No device of that id in the caller's tenant (another tenant's device included): 404. */
class HardwareNotFound extends ApiException {

    HardwareNotFound(String hardwareId) {
        super(HttpStatus.NOT_FOUND, "hardware_not_found", "no hardware device " + hardwareId,
                Map.of("hardwareId", hardwareId));
    }
}
