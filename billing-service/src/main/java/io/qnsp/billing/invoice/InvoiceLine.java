package io.qnsp.billing.invoice;

import java.math.BigDecimal;

/**
 * The units of one billable operation in a billing period and their charge.
 *
 * @param included units included by the plan before any is charged
 * @param amount   {@code max(0, quantity - included) * unitPrice}, rounded half up to the currency's minor unit
 * @param listed   whether the price book names the operation; an unlisted one is recorded at no charge
 */
public record InvoiceLine(String operation, String service, long quantity, long included, BigDecimal unitPrice,
                          BigDecimal amount, boolean listed) {
}
