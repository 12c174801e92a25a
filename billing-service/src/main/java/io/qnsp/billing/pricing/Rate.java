package io.qnsp.billing.pricing;

import java.math.BigDecimal;

/**
 * What one billable operation costs on one plan: units beyond {@code included} in a billing period are charged at
 * {@code unitPrice} each.
 *
 * @param listed whether the price book names the operation at all; an unlisted operation is recorded at no charge
 */
public record Rate(String operation, BigDecimal unitPrice, long included, boolean listed) {
}
