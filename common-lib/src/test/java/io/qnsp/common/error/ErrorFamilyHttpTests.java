package io.qnsp.common.error;

import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A service configured for another family answers its validation, 401 and 500 failures in that family's shape. */
@SpringBootTest(classes = HttpTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "qnsp.security.public-paths=/probe/**")
@EmbeddedInfrastructure
class ErrorFamilyHttpTests {

    static List<String> names(JsonNode node) {
        return new ArrayList<>(node.propertyNames());
    }

    @Nested
    @EmbeddedInfrastructure // the customizer looks at the test class itself, not at enclosing classes
    @TestPropertySource(properties = "qnsp.errors.family=datahub")
    class Datahub {

        @LocalServerPort
        int port;

        @Test
        void validationError() {
            TestHttp.Response response = new TestHttp(port).get("/probe/query?limit=x", "X-Request-Id", "dh-1");

            assertThat(response.status()).isEqualTo(400);
            JsonNode body = response.json();
            assertThat(names(body)).containsExactly("success", "error", "meta");
            assertThat(body.get("success").asBoolean()).isFalse();
            assertThat(names(body.get("error"))).containsExactly("code", "message", "details");
            assertThat(body.get("error").get("code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(body.get("error").get("details").get("field").asString()).isEqualTo("limit");
            assertThat(body.get("meta").get("requestId").asString()).isEqualTo("dh-1");
            assertThat(Instant.parse(body.get("meta").get("timestamp").asString())).isNotNull();
        }

        @Test
        void missingAndInvalidCredentials() {
            TestHttp http = new TestHttp(port);
            TestHttp.Response missing = http.get("/secure/caller");
            TestHttp.Response invalid = http.get("/secure/caller", "Authorization",
                    TestHttp.bearer(TestTokens.forTenant("t1").expired().mint()));

            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.json().get("error").get("code").asString()).isEqualTo("MISSING_API_KEY");
            assertThat(invalid.status()).isEqualTo(401);
            assertThat(invalid.json().get("error").get("code").asString()).isEqualTo("INVALID_API_KEY");
            assertThat(invalid.json().get("meta").get("requestId").asString()).isEqualTo(invalid.header("X-Request-Id"));
        }

        @Test
        void internalError() {
            TestHttp.Response response = new TestHttp(port).get("/probe/boom");

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.json().get("error").get("code").asString()).isEqualTo("INTERNAL_ERROR");
        }
    }

    @Nested
    @EmbeddedInfrastructure // the customizer looks at the test class itself, not at enclosing classes
    @TestPropertySource(properties = "qnsp.errors.family=kpi")
    class Kpi {

        @LocalServerPort
        int port;

        @Test
        void validationError() {
            TestHttp.Response response = new TestHttp(port).get("/probe/query", "X-Request-Id", "kpi-1");

            assertThat(response.status()).isEqualTo(400);
            JsonNode body = response.json();
            assertThat(names(body)).containsExactly("error", "message", "details", "requestId");
            assertThat(body.get("error").asString()).isEqualTo("invalid_request");
            assertThat(body.get("details").get("field").asString()).isEqualTo("limit");
            assertThat(body.get("requestId").asString()).isEqualTo("kpi-1");
        }

        @Test
        void unauthorizedAndInternalError() {
            TestHttp http = new TestHttp(port);
            TestHttp.Response expired = http.get("/secure/caller", "Authorization",
                    TestHttp.bearer(TestTokens.forTenant("t1").expired().mint()));

            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().get("error").asString()).isEqualTo("unauthorized");
            assertThat(http.get("/probe/nowhere").json().get("error").asString()).isEqualTo("not_found");
            assertThat(http.get("/probe/boom").json().get("error").asString()).isEqualTo("internal_error");
        }
    }

    @Nested
    @EmbeddedInfrastructure // the customizer looks at the test class itself, not at enclosing classes
    @TestPropertySource(properties = "qnsp.errors.family=ratelimit")
    class Ratelimit {

        @LocalServerPort
        int port;

        @Test
        void validationErrorNamesTheNestedField() {
            TestHttp.Response response = new TestHttp(port).postJson("/probe/things",
                    "{\"name\":\"a\",\"cost\":1,\"limits\":{\"algorithm\":\"token_bucket\",\"burstCapacity\":\"big\"}}");

            assertThat(response.status()).isEqualTo(400);
            JsonNode body = response.json();
            assertThat(names(body)).containsExactly("error", "message", "details", "requestId");
            assertThat(body.get("error").asString()).isEqualTo("invalid_request");
            assertThat(body.get("details").get("field").asString()).isEqualTo("limits.burstCapacity");
            assertThat(body.get("requestId").asString()).isEqualTo(response.header("X-Request-Id"));
        }

        @Test
        void unauthorized() {
            TestHttp.Response response = new TestHttp(port).get("/secure/caller");

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.json().get("error").asString()).isEqualTo("unauthorized");
        }
    }
}
