package io.qnsp.vault.secret;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A state change the version's life does not allow: only active → deprecated, active → destroyed and deprecated →
 * destroyed are; destroyed is final.
 */
class VersionStateConflict extends ApiException {

    VersionStateConflict(int version, VersionState from, VersionState to) {
        super(HttpStatus.CONFLICT, "version_state_conflict", "Version " + version + " is " + from.apiName()
                + ": it cannot become " + to.apiName(), Map.of("version", version, "state", from.apiName(),
                "requestedState", to.apiName()));
    }
}
