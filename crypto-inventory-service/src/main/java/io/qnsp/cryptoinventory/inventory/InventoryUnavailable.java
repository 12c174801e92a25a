package io.qnsp.cryptoinventory.inventory;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A source of the inventory (kms-service, auth-service) cannot be reached or fails: 503, naming it. */
class InventoryUnavailable extends ApiException {

    InventoryUnavailable(String dependency, String why) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "dependency_down", dependency + " " + why
                + "; the inventory cannot be read now, try again later", Map.of("dependency", dependency));
    }
}
