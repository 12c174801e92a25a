package io.qnsp.test.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.qnsp.test.contract.TestDocuments.keysApi;
import static io.qnsp.test.contract.TestDocuments.operation;
import static org.assertj.core.api.Assertions.assertThat;

class ApiDocumentRulesTests {

    @Test
    void aDocumentKeepingEveryRuleHasNoViolation() {
        assertThat(ApiDocumentRules.violations(keysApi())).isEmpty();
    }

    @Test
    void anOperationWithoutSecurityRequirementIsAViolationButAnEmptyOneIsNot() {
        assertThat(ApiDocumentRules.violations(keysApi(d -> operation(d, "/v1/keys", "get").remove("security"))))
                .containsExactly("GET /v1/keys: declares no security requirement (an empty list for a public "
                        + "endpoint)");
    }

    @Test
    void anOperationWithoutSummaryIsAViolation() {
        assertThat(ApiDocumentRules.violations(keysApi(d -> operation(d, "/v1/keys/{id}", "get").put("summary", " "))))
                .containsExactly("GET /v1/keys/{id}: has no summary");
    }

    @Test
    void aDuplicateOrSuffixedOperationIdIsAViolation() {
        assertThat(ApiDocumentRules.violations(keysApi(d -> operation(d, "/v1/keys/{id}", "get")
                .put("operationId", "listKeys"))))
                .contains("operationId 'listKeys' is used by GET /v1/keys, GET /v1/keys/{id}");
        assertThat(ApiDocumentRules.violations(keysApi(d -> operation(d, "/v1/keys/{id}", "get")
                .put("operationId", "listKeys_1"))))
                .containsExactly("GET /v1/keys/{id}: operationId 'listKeys_1' carries a numeric suffix, the mark of "
                        + "a renamed clash");
    }

    @Test
    void anOperationWithout4xxResponseIsAViolation() {
        assertThat(ApiDocumentRules.violations(keysApi(d -> ((ObjectNode) operation(d, "/v1/keys/{id}", "get")
                .path("responses")).remove("404"))))
                .containsExactly("GET /v1/keys/{id}: declares no 4XX response");
    }

    @Test
    void aRequiredObjectInTheQueryIsAViolation() {
        assertThat(ApiDocumentRules.violations(keysApi(d -> operation(d, "/v1/keys", "get").withArray("parameters")
                .addObject().put("in", "query").put("name", "caller").put("required", true)
                .putObject("schema").put("$ref", "#/components/schemas/Key"))))
                .containsExactly("GET /v1/keys: query parameter 'caller' is a required object, which no client can "
                        + "send");
    }

    @Test
    void nullableWithoutATypeIsAViolation() {
        assertThat(ApiDocumentRules.violations(keysApi(d -> ((ObjectNode) d.at("/components/schemas/Key/properties"))
                .putObject("extra").put("nullable", true))))
                .containsExactly("#/components/schemas/Key/properties/extra: nullable without a type, which OpenAPI "
                        + "3.0 ignores (a client cannot tell it may be null)");
    }

    @Test
    void aReferenceToNothingAndAnUnparsableDocumentAreViolations() {
        assertThat(ApiDocumentRules.violations(keysApi(d -> ((ObjectNode) d.path("components").path("schemas"))
                .remove("Error"))))
                .contains("refers to #/components/schemas/Error, which the document does not define");
        assertThat(ApiDocumentRules.violations("{\"openapi\": \"3.0.1\", \"paths\": 42}")).isNotEmpty();
    }
}
