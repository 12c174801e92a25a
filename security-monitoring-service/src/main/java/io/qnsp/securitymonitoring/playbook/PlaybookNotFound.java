package io.qnsp.securitymonitoring.playbook;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** No playbook or execution of that id in the caller's tenant (another tenant's included): 404. */
class PlaybookNotFound extends ApiException {

    PlaybookNotFound(String what, String id) {
        super(HttpStatus.NOT_FOUND, "not_found", "no " + what + " " + id, Map.of("id", id));
    }
}
