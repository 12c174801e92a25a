package io.qnsp.billing.invoice;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No invoice with that id exists for the tenant. */
public class InvoiceNotFound extends ApiException {

    public InvoiceNotFound() {
        super(HttpStatus.NOT_FOUND, "invoice_not_found", "No such invoice");
    }
}
