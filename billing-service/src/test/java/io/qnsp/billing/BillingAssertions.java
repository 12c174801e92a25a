package io.qnsp.billing;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks billing-service tests share on money and invoices (answers and errors: ApiAssertions). */
public final class BillingAssertions {

    private BillingAssertions() {
    }

    /** The exact decimal of a JSON number, compared by value (2.5 equals 2.50). */
    public static BigDecimal money(JsonNode node) {
        assertThat(node.isNumber()).as("%s is a number", node).isTrue();
        return node.decimalValue();
    }

    public static void assertMoney(JsonNode node, String expected) {
        assertThat(money(node)).as("%s", node).isEqualByComparingTo(expected);
    }

    /** An invoice's line items by operation. */
    public static Map<String, JsonNode> lines(JsonNode invoice) {
        Map<String, JsonNode> lines = new LinkedHashMap<>();
        invoice.get("lineItems").forEach(line -> lines.put(line.get("operation").asString(), line));
        return lines;
    }
}
