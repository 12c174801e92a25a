package io.qnsp.common.error;

import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of failure, answered in the QNSP family's format (spec 002) with the offending field named. */
@SpringBootTest(classes = HttpTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "qnsp.security.public-paths=/probe/**")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class ErrorHandlingTests {

    static final String VALID_LIMITS = "\"limits\":{\"algorithm\":\"token_bucket\",\"burstCapacity\":5}";

    @LocalServerPort
    int port;

    TestHttp http;

    @BeforeEach
    void setUp() {
        http = new TestHttp(port);
    }

    @Test
    void validBodyIsAcceptedAndUnknownFieldsAreIgnored() {
        TestHttp.Response response = http.postJson("/probe/things",
                "{\"name\":\"a\",\"cost\":2," + VALID_LIMITS + ",\"color\":\"blue\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().get("name").asString()).isEqualTo("a");
        assertThat(response.json().has("color")).isFalse();
    }

    @Test
    void beanValidationNamesTheFirstOffendingFieldInDeclarationOrder() {
        TestHttp.Response response = http.postJson("/probe/things",
                "{\"name\":\"\",\"cost\":0,\"limits\":{\"algorithm\":\"token_bucket\",\"burstCapacity\":0}}");

        JsonNode body = validationError(response, "name");
        assertThat(fields(body)).containsExactly("name", "cost", "limits.burstCapacity");
        assertThat(body.get("message").asString()).contains("name");
        assertThat(body.get("details").get("fields").get(1).get("message").asString())
                .isEqualTo("must be greater than or equal to 1");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        JsonNode body = validationError(http.postJson("/probe/things", "{\"cost\":1," + VALID_LIMITS + "}"), "name");
        assertThat(body.get("details").get("fields").get(0).get("message").asString()).isEqualTo("must not be blank");
    }

    @Test
    void missingPrimitiveFieldIsNamed() {
        TestHttp.Response response = http.postJson("/probe/things", "{\"name\":\"a\"," + VALID_LIMITS + "}");
        JsonNode body = validationError(response, "cost");
        assertThat(body.get("details").get("fields").get(0).get("message").asString()).isEqualTo("is required");
    }

    @Test
    void nullForPrimitiveFieldIsNamed() {
        TestHttp.Response response = http.postJson("/probe/things", "{\"name\":\"a\",\"cost\":null," + VALID_LIMITS + "}");
        JsonNode body = validationError(response, "cost");
        assertThat(body.get("details").get("fields").get(0).get("message").asString()).isEqualTo("must not be null");
    }

    @Test
    void invalidListElementIsNamedWithItsIndex() {
        validationError(http.postJson("/probe/things",
                "{\"name\":\"a\",\"cost\":1," + VALID_LIMITS + ",\"tags\":[{\"name\":\"ok\"},{\"name\":\"\"}]}"),
                "tags[1].name");
    }

    @Test
    void malformedJsonNamesTheBody() {
        JsonNode body = validationError(http.postJson("/probe/things", "{\"name\": \"a\", \"cost\": }"), "body");
        assertThat(body.get("details").get("fields").get(0).get("message").asString())
                .isEqualTo("is not well-formed JSON");
        assertThat(body.get("details").get("line").asInt()).isEqualTo(1);
    }

    @Test
    void missingBodyNamesTheBody() {
        TestHttp.Response response = http.send(http.request("/probe/things")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()));
        JsonNode body = validationError(response, "body");
        assertThat(body.get("details").get("fields").get(0).get("message").asString()).isEqualTo("is required");
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        JsonNode body = validationError(http.postJson("/probe/things",
                "{\"name\":\"a\",\"cost\":\"lots\"," + VALID_LIMITS + "}"), "cost");
        assertThat(body.get("message").asString()).isEqualTo("Validation failed: cost must be an integer");
    }

    @Test
    void wrongJsonTypeInANestedObjectNamesItsPath() {
        JsonNode body = validationError(http.postJson("/probe/things",
                "{\"name\":\"a\",\"cost\":1,\"limits\":{\"algorithm\":\"token_bucket\",\"burstCapacity\":\"x\"}}"),
                "limits.burstCapacity");
        assertThat(body.get("details").get("fields").get(0).get("message").asString()).isEqualTo("must be an integer");
    }

    @Test
    void objectWhereAnArrayBelongsNamesTheField() {
        JsonNode body = validationError(http.postJson("/probe/things",
                "{\"name\":\"a\",\"cost\":1," + VALID_LIMITS + ",\"tags\":{\"name\":\"x\"}}"), "tags");
        assertThat(body.get("details").get("fields").get(0).get("message").asString()).isEqualTo("must be an array");
    }

    @Test
    void unknownEnumValueNamesTheFieldAndListsTheAcceptedValues() {
        JsonNode body = validationError(http.postJson("/probe/things",
                "{\"name\":\"a\",\"cost\":1,\"limits\":{\"algorithm\":\"leaky_bucket\",\"burstCapacity\":5}}"),
                "limits.algorithm");
        assertThat(body.get("details").get("allowedValues").toString()).isEqualTo("[\"token_bucket\",\"fixed_window\"]");
        assertThat(body.get("message").asString()).contains("token_bucket", "fixed_window");
    }

    @Test
    void missingQueryParameterIsNamed() {
        JsonNode body = validationError(http.get("/probe/query"), "limit");
        assertThat(body.get("details").get("fields").get(0).get("message").asString()).isEqualTo("is required");
    }

    @Test
    void constrainedQueryParameterIsNamed() {
        JsonNode body = validationError(http.get("/probe/query?limit=0"), "limit");
        assertThat(body.get("details").get("fields").get(0).get("message").asString())
                .isEqualTo("must be greater than or equal to 1");
    }

    @Test
    void queryParameterOfTheWrongTypeIsNamed() {
        JsonNode body = validationError(http.get("/probe/query?limit=many"), "limit");
        assertThat(body.get("details").get("fields").get(0).get("message").asString()).isEqualTo("must be an integer");
    }

    @Test
    void unknownEnumQueryValueListsTheAcceptedValues() {
        JsonNode body = validationError(http.get("/probe/query?limit=1&algorithm=leaky"), "algorithm");
        assertThat(body.get("details").get("allowedValues").toString()).isEqualTo("[\"TOKEN_BUCKET\",\"FIXED_WINDOW\"]");
    }

    @Test
    void pathVariableOfTheWrongTypeIsNamed() {
        JsonNode body = validationError(http.get("/probe/things/not-a-uuid"), "id");
        assertThat(body.get("details").get("fields").get(0).get("message").asString()).isEqualTo("must be a UUID");
    }

    @Test
    void missingHeaderIsNamed() {
        validationError(http.get("/probe/header"), "X-Probe");
        assertThat(http.get("/probe/header", "X-Probe", "here").status()).isEqualTo(200);
    }

    @Test
    void unsupportedMediaTypeIs415() {
        TestHttp.Response response = http.send(http.request("/probe/things").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=a")));

        JsonNode body = error(response, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(body.get("details").get("supported").toString()).contains("application/json");
    }

    @Test
    void unsupportedMethodIs405WithAllow() {
        TestHttp.Response response = http.send(http.request("/probe/things").DELETE());

        error(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(response.header("Allow")).contains("POST");
    }

    @Test
    void unknownRouteIs404() {
        error(http.get("/probe/nowhere"), 404, "NOT_FOUND");
    }

    @Test
    void apiExceptionKeepsItsStatusCodeAndDetails() {
        JsonNode body = error(http.get("/probe/conflict"), 409, "THING_EXISTS");
        assertThat(body.get("message").asString()).isEqualTo("A thing with this name already exists");
        assertThat(body.get("details").get("thingId").asString()).isEqualTo("thing-7");
    }

    @Test
    void responseStatusExceptionKeepsItsStatus() {
        JsonNode body = error(http.get("/probe/teapot"), 410, "GONE");
        assertThat(body.get("message").asString()).isEqualTo("This thing is gone");
    }

    @Test
    void unexpectedFailureIs500WithoutItsMessageButWithTheStackTraceLogged(CapturedOutput output) {
        TestHttp.Response response = http.get("/probe/boom");

        JsonNode body = error(response, 500, "INTERNAL_ERROR");
        assertThat(body.get("message").asString()).isEqualTo("An unexpected error occurred");
        assertThat(response.body()).doesNotContain("hunter2").doesNotContain("connection to db");
        assertThat(output.getOut() + output.getErr()).contains("IllegalStateException")
                .contains("ProbeController.boom");
    }

    @Test
    void aDatabaseThatCannotBeReachedIs503DependencyDownWithRetryAfterAndOneLogLine(CapturedOutput output) {
        TestHttp.Response response = http.get("/probe/database-away");

        JsonNode body = error(response, 503, "DEPENDENCY_DOWN");
        assertThat(body.get("details").get("dependency").asString()).isEqualTo("postgresql");
        assertThat(response.header("Retry-After")).isEqualTo("2");
        assertThat(response.body()).doesNotContain("secret-password", "127.0.0.1", "PSQLException", "jdbc");
        String logged = output.getOut() + output.getErr();
        assertThat(logged).contains("the database cannot be reached").doesNotContain("secret-password")
                .doesNotContain("at org.postgresql.");
    }

    @Test
    void exceptionInAServletFilterIsAnsweredByTheErrorPageInTheFamilyFormat() {
        TestHttp.Response response = http.get("/probe/filter-exception", "X-Request-Id", "filter-1");

        JsonNode body = error(response, 500, "INTERNAL_ERROR");
        assertThat(body.get("requestId").asString()).isEqualTo("filter-1");
        assertThat(response.body()).doesNotContain("abc123");
    }

    @Test
    void sendErrorOutsideMvcIsAnsweredInTheFamilyFormatWithoutItsMessage() {
        TestHttp.Response response = http.get("/probe/filter-send-error", "X-Request-Id", "filter-2");

        JsonNode body = error(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(body.get("requestId").asString()).isEqualTo("filter-2");
        assertThat(response.body()).doesNotContain("db-7");
    }

    @Test
    void urlRejectedByTheFirewallIs400() {
        error(http.get("/probe//request-id"), 400, "BAD_REQUEST");
    }

    @Test
    void errorIsJsonEvenWhenTheClientAcceptsOnlyText() {
        TestHttp.Response response = http.get("/probe/conflict", "Accept", "text/plain");

        error(response, 409, "THING_EXISTS");
        assertThat(response.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void accessDeniedReachingMvcIs403ForAnAuthenticatedCaller() {
        String token = TestTokens.forTenant("t1").mint();
        JsonNode body = error(http.get("/probe/forbidden", "Authorization", TestHttp.bearer(token)), 403, "FORBIDDEN");
        assertThat(body.toString()).doesNotContain("rule 42");
    }

    @Test
    void accessDeniedReachingMvcIs401ForAnAnonymousCaller() {
        error(http.get("/probe/forbidden"), 401, "UNAUTHORIZED");
    }

    @Test
    void authenticationExceptionReachingMvcIs401() {
        JsonNode body = error(http.get("/probe/unauthenticated"), 401, "UNAUTHORIZED");
        assertThat(body.toString()).doesNotContain("internal store");
    }

    @Test
    void callerParameterWithoutAuthenticationIs401() {
        error(http.get("/probe/caller"), 401, "UNAUTHORIZED");
    }

    @Test
    void everyErrorCarriesTheRequestIdAndATimestamp() {
        TestHttp.Response response = http.get("/probe/query", "X-Request-Id", "req-errors-1");

        JsonNode body = error(response, 400, "BAD_REQUEST");
        assertThat(body.get("requestId").asString()).isEqualTo("req-errors-1");
        assertThat(response.header("X-Request-Id")).isEqualTo("req-errors-1");
        assertThat(Instant.parse(body.get("timestamp").asString())).isBefore(Instant.now().plusSeconds(1));
    }

    /** A QNSP error body: exactly the documented fields, status mirrored in {@code statusCode}. */
    private static JsonNode error(TestHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        List<String> names = new ArrayList<>();
        body.propertyNames().forEach(names::add);
        assertThat(names).containsExactly("statusCode", "error", "message", "details", "requestId", "timestamp");
        assertThat(body.get("statusCode").asInt()).isEqualTo(status);
        assertThat(body.get("error").asString()).isEqualTo(code);
        assertThat(body.get("requestId").asString()).isEqualTo(response.header("X-Request-Id")).isNotBlank();
        return body;
    }

    private static JsonNode validationError(TestHttp.Response response, String field) {
        JsonNode body = error(response, 400, "BAD_REQUEST");
        assertThat(body.get("details").get("field").asString()).isEqualTo(field);
        assertThat(body.get("details").get("fields").get(0).get("field").asString()).isEqualTo(field);
        return body;
    }

    private static List<String> fields(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.get("details").get("fields").forEach(f -> names.add(f.get("field").asString()));
        return names;
    }
}
