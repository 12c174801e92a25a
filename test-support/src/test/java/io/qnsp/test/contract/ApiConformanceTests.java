package io.qnsp.test.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.contract.TestDocuments.keysApi;
import static io.qnsp.test.contract.TestDocuments.operation;
import static org.assertj.core.api.Assertions.assertThat;

class ApiConformanceTests {

    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));
    private static final Map<String, List<String>> AUTHORIZED = Map.of("Authorization", List.of("Bearer x.y.z"),
            "Content-Type", List.of("application/json"));

    private final ApiConformance conformance = new ApiConformance(keysApi());

    @Test
    void exchangesTheDocumentDescribesConform() {
        assertThat(conformance.violations(get("/v1/keys", 200, "[{\"id\":\"k1\",\"name\":\"a\",\"description\":null}]")))
                .isEmpty();
        assertThat(conformance.violations(exchange("POST", "/v1/keys", "{\"name\":\"a\"}", 201,
                "{\"id\":\"k1\",\"name\":\"a\",\"description\":\"b\"}"))).isEmpty();
        assertThat(conformance.violations(get("/v1/keys/k9", 404, "{\"error\":\"NOT_FOUND\",\"message\":\"none\"}")))
                .isEmpty();
    }

    @Test
    void aStatusTheOperationDoesNotDeclareIsAViolation() {
        ApiConformance without404 = new ApiConformance(keysApi(d -> ((ObjectNode) operation(d, "/v1/keys/{id}", "get")
                .path("responses")).remove("404")));
        assertThat(without404.violations(get("/v1/keys/k9", 404, "{\"error\":\"NOT_FOUND\",\"message\":\"none\"}")))
                .singleElement().asString()
                .contains("GET /v1/keys/k9 -> 404: the response breaks the document: [validation.response.status"
                        + ".unknown]");
    }

    @Test
    void nullInAFieldThatIsNotNullableIsAViolationButNotInANullableOne() {
        assertThat(conformance.violations(get("/v1/keys/k1", 200, "{\"id\":\"k1\",\"name\":null,\"description\":null}")))
                .singleElement().asString()
                .contains("[validation.response.body.schema.type] [Path '/name'] Instance type (null) does not match");
    }

    @Test
    void aNullableReferenceTakesNullOrTheReferencedObjectButNothingElse() {
        assertThat(conformance.violations(get("/v1/keys/k1", 200,
                "{\"id\":\"k1\",\"name\":\"a\",\"description\":null,\"owner\":null}"))).isEmpty();
        assertThat(conformance.violations(get("/v1/keys/k1", 200,
                "{\"id\":\"k1\",\"name\":\"a\",\"description\":null,\"owner\":{\"id\":\"o1\"}}"))).isEmpty();
        assertThat(conformance.violations(get("/v1/keys/k1", 200,
                "{\"id\":\"k1\",\"name\":\"a\",\"description\":null,\"owner\":\"o1\"}"))).isNotEmpty();
    }

    @Test
    void aFieldTheSchemaDoesNotHaveOrAMissingRequiredOneIsAViolation() {
        assertThat(conformance.violations(get("/v1/keys/k1", 200,
                "{\"id\":\"k1\",\"name\":\"a\",\"description\":null,\"secret\":\"s\"}")))
                .singleElement().asString().contains("secret");
        assertThat(conformance.violations(get("/v1/keys/k1", 200, "{\"id\":\"k1\",\"name\":\"a\"}")))
                .singleElement().asString().contains("description");
    }

    @Test
    void aBodyOfAnotherMediaTypeThanDeclaredIsAViolation() {
        RecordedExchange csv = new RecordedExchange("GET", "/v1/keys/k1", null, AUTHORIZED, null, 200,
                Map.of("Content-Type", List.of("text/csv")), "id,name\nk1,a\n".getBytes(StandardCharsets.UTF_8),
                false, false);
        assertThat(conformance.violations(csv)).isNotEmpty();
    }

    @Test
    void anUndocumentedEndpointMayOnlyAnswerWithAnError() {
        assertThat(conformance.violations(get("/v1/secret-admin", 200, "{}"))).singleElement().asString()
                .contains("the document has no such operation, yet it answered 200");
        assertThat(conformance.violations(get("/v1/nothing", 404, "{}"))).isEmpty();
        assertThat(conformance.violations(get("/v1/nothing", 401, "{}"))).isEmpty();
        assertThat(conformance.violations(exchange("DELETE", "/v1/keys", null, 405, "{}"))).isEmpty();
    }

    @Test
    void aRequestBreakingTheDocumentIsAViolationOnlyWhenTheServiceAcceptedIt() {
        assertThat(conformance.violations(exchange("POST", "/v1/keys", "{\"description\":\"x\"}", 400,
                "{\"error\":\"BAD_REQUEST\",\"message\":\"name is required\"}"))).isEmpty();
        assertThat(conformance.violations(exchange("POST", "/v1/keys", "{\"description\":\"x\"}", 201,
                "{\"id\":\"k1\",\"name\":\"\",\"description\":\"x\"}"))).singleElement().asString()
                .contains("accepted a request the document does not allow").contains("name");
    }

    @Test
    void aStreamIsCheckedForItsStatusButNotForABodyStillBeingWritten() {
        RecordedExchange stream = new RecordedExchange("GET", "/health", null, Map.of(), null, 200,
                JSON, "{\"sta".getBytes(StandardCharsets.UTF_8), false, true);
        assertThat(conformance.violations(stream)).isEmpty();
        RecordedExchange undeclared = new RecordedExchange("GET", "/health", null, Map.of(), null, 418,
                JSON, new byte[0], false, true);
        assertThat(conformance.violations(undeclared)).isNotEmpty();
    }

    private static RecordedExchange get(String path, int status, String body) {
        return exchange("GET", path, null, status, body);
    }

    private static RecordedExchange exchange(String method, String path, String requestBody, int status,
                                             String body) {
        return new RecordedExchange(method, path, null, AUTHORIZED,
                requestBody == null ? null : requestBody.getBytes(StandardCharsets.UTF_8), status, JSON,
                body.getBytes(StandardCharsets.UTF_8), false, false);
    }
}
