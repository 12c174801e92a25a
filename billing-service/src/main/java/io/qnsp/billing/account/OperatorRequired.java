package io.qnsp.billing.account;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** Only the platform operator (role platform_admin) may change this. */
public class OperatorRequired extends ApiException {

    public OperatorRequired(String what) {
        super(HttpStatus.FORBIDDEN, "platform_admin_required", "Only the platform operator (role platform_admin) may "
                + "change " + what);
    }
}
