package io.qnsp.billing.payment;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No payment with that id exists for a tenant the caller may see. */
public class PaymentNotFound extends ApiException {

    public PaymentNotFound() {
        super(HttpStatus.NOT_FOUND, "payment_not_found", "No such payment");
    }
}
