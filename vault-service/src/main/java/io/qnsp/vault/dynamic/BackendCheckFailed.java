package io.qnsp.vault.dynamic;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A new config's backend failed the vault's check: it could not be reached, refused the credentials, does not let
 * them create accounts, or refused a statement of the role template. {@code details.field} names what to fix;
 * nothing of the driver's message is repeated.
 */
public class BackendCheckFailed extends ApiException {

    BackendCheckFailed(BackendFailure failure) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "backend_check_failed", "The backend check failed: "
                + failure.getMessage() + "; see " + failure.reason().field(), details(failure));
    }

    static Map<String, Object> details(BackendFailure failure) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", failure.reason().field());
        details.put("reason", failure.reason().code());
        if (failure.sqlState() != null) {
            details.put("sqlState", failure.sqlState());
        }
        if (failure.statement() > 0) {
            details.put("statement", failure.statement());
        }
        return details;
    }
}
