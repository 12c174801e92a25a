package io.qnsp.billing;

import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks billing-service tests share, on answers in the QNSP error format. */
public final class BillingAssertions {

    private BillingAssertions() {
    }

    public static JsonNode ok(ResponseEntity<JsonNode> response) {
        return ok(response, 200);
    }

    public static JsonNode ok(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        return response.getBody();
    }

    /** A 400 naming the field, in the body and in the message. */
    public static void assertFieldRefused(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        assertThat(response.getBody().get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
        assertThat(response.getBody().get("message").asString()).contains(field);
    }

    public static void assertStatus(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        if (response.getBody() != null && response.getBody().has("statusCode")) {
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(status);
        }
    }

    public static void assertNotFound(ResponseEntity<JsonNode> response) {
        assertStatus(response, 404);
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
