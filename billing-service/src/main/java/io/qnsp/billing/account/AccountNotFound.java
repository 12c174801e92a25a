package io.qnsp.billing.account;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No billing account for that tenant, or one the caller may not see. */
public class AccountNotFound extends ApiException {

    public AccountNotFound() {
        super(HttpStatus.NOT_FOUND, "account_not_found", "No such billing account");
    }
}
