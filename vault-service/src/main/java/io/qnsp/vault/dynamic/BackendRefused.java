package io.qnsp.vault.dynamic;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/**
 * The config's backend answered but refused what the vault asked (its credentials no longer work or lack a
 * privilege, or a statement failed): the config needs fixing. Nothing was changed on the vault's side.
 */
public class BackendRefused extends ApiException {

    BackendRefused(BackendFailure failure) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "backend_refused", "The backend refused: " + failure.getMessage(),
                BackendCheckFailed.details(failure));
    }
}
