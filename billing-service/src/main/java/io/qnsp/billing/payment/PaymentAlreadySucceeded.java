package io.qnsp.billing.payment;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The payment was collected already; there is nothing to retry. */
public class PaymentAlreadySucceeded extends ApiException {

    public PaymentAlreadySucceeded() {
        super(HttpStatus.CONFLICT, "payment_already_succeeded", "The payment has succeeded already");
    }
}
