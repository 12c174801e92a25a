package io.qnsp.common.envelope;

import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service in the QNSP family whose {@code /dh/**} paths are in the DataHub family (as auth-service serves
 * {@code /api/v1/**}): each path answers successes and failures of every origin in its own family's shape.
 */
@SpringBootTest(classes = {HttpTestApplication.class, EnvelopeProbeController.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "qnsp.errors.family=qnsp",
                "qnsp.errors.path-families.datahub=/dh/**,/probe/filter-*,/actuator/**",
                "qnsp.security.public-paths=/dh/open/**,/plain/**,/probe/**"})
@EmbeddedInfrastructure
class DataHubEnvelopeHttpTests {

    @LocalServerPort
    int port;

    static List<String> names(JsonNode node) {
        return new ArrayList<>(node.propertyNames());
    }

    @Test
    void aResultIsWrappedWithTheRequestIdAndTimestamp() {
        Instant before = Instant.now().minusSeconds(1);
        TestHttp.Response response = new TestHttp(port).get("/dh/open/item", "X-Request-Id", "req-env-1");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(names(body)).containsExactly("success", "data", "meta");
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("data").get("id").asString()).isEqualTo("item-1");
        assertThat(body.get("data").get("name").asString()).isEqualTo("first");
        assertThat(names(body.get("meta"))).containsExactly("requestId", "timestamp");
        assertThat(body.get("meta").get("requestId").asString()).isEqualTo("req-env-1");
        assertThat(Instant.parse(body.get("meta").get("timestamp").asString()))
                .isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
    }

    @Test
    void theControllersStatusIsKeptAndAListIsData() {
        TestHttp http = new TestHttp(port);
        TestHttp.Response created = http.postJson("/dh/open/items", "{\"name\":\"second\"}");
        TestHttp.Response list = http.get("/dh/open/list");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("data").get("name").asString()).isEqualTo("second");
        assertThat(created.json().get("meta").get("requestId").asString()).isEqualTo(created.header("X-Request-Id"));
        assertThat(list.json().get("data").toString()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void aPageGetsThePaginatedForm() {
        TestHttp.Response response = new TestHttp(port).get("/dh/open/items?page=3&pageSize=2");

        JsonNode body = response.json();
        assertThat(names(body)).containsExactly("success", "data", "pagination", "meta");
        assertThat(body.get("data").findValuesAsString("id")).containsExactly("item-5");
        JsonNode pagination = body.get("pagination");
        assertThat(names(pagination)).containsExactly("page", "pageSize", "totalItems", "totalPages");
        assertThat(pagination.get("page").asInt()).isEqualTo(3);
        assertThat(pagination.get("pageSize").asInt()).isEqualTo(2);
        assertThat(pagination.get("totalItems").asLong()).isEqualTo(5);
        assertThat(pagination.get("totalPages").asLong()).isEqualTo(3);
    }

    @Test
    void pathsOfTheDefaultFamilyAnswerTheirDataAsIs() {
        TestHttp http = new TestHttp(port);
        JsonNode item = http.get("/plain/item").json();
        JsonNode page = http.get("/plain/items?page=1&pageSize=2").json();

        assertThat(names(item)).containsExactly("id", "name");
        assertThat(page.get("items").size()).isEqualTo(2);
        assertThat(page.get("totalPages").asLong()).isEqualTo(3);
        assertThat(page.has("success")).isFalse();
    }

    @Test
    void textEmptyAndErrorStatusBodiesAreLeftAlone() {
        TestHttp http = new TestHttp(port);
        TestHttp.Response text = http.get("/dh/open/text");
        TestHttp.Response nothing = http.get("/dh/open/nothing");
        TestHttp.Response refused = http.get("/dh/open/refused");

        assertThat(text.body()).isEqualTo("just text");
        assertThat(nothing.status()).isEqualTo(204);
        assertThat(nothing.body()).isEmpty();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(names(refused.json())).containsExactly("reason");
    }

    @Test
    void failuresOnDataHubPathsAreInTheDataHubFamily() {
        TestHttp http = new TestHttp(port);
        TestHttp.Response invalid = http.postJson("/dh/open/items", "{\"name\":\"\"}");
        TestHttp.Response malformed = http.postJson("/dh/open/items", "{\"name\":");
        TestHttp.Response missing = http.get("/dh/open/nowhere");
        TestHttp.Response anonymous = http.get("/dh/secure/item");
        TestHttp.Response expired = http.get("/dh/secure/item", "Authorization",
                TestHttp.bearer(TestTokens.forTenant("t1").expired().mint()));
        TestHttp.Response filterFailure = http.get("/probe/filter-exception");

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(names(invalid.json())).containsExactly("success", "error", "meta");
        assertThat(invalid.json().get("success").asBoolean()).isFalse();
        assertThat(invalid.json().get("error").get("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(invalid.json().get("error").get("details").get("field").asString()).isEqualTo("name");
        assertThat(malformed.json().get("error").get("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").get("code").asString()).isEqualTo("NOT_FOUND");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").get("code").asString()).isEqualTo("MISSING_API_KEY");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("error").get("code").asString()).isEqualTo("INVALID_API_KEY");
        assertThat(filterFailure.status()).isEqualTo(500);
        assertThat(filterFailure.json().get("error").get("code").asString()).isEqualTo("INTERNAL_ERROR");
        assertThat(filterFailure.body()).doesNotContain("abc123");
    }

    @Test
    void failuresOnOtherPathsStayInTheDefaultFamily() {
        TestHttp http = new TestHttp(port);
        TestHttp.Response invalid = http.get("/probe/query?limit=x");
        TestHttp.Response anonymous = http.get("/secure/caller");
        TestHttp.Response missing = http.get("/probe/nowhere");

        assertThat(names(invalid.json())).containsExactly("statusCode", "error", "message", "details", "requestId",
                "timestamp");
        assertThat(invalid.json().get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(missing.json().get("error").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void frameworkEndpointsKeepTheirOwnShapeEvenOnADataHubPath() {
        JsonNode health = new TestHttp(port).get("/actuator/health").json();

        assertThat(health.has("status")).isTrue();
        assertThat(health.has("success")).isFalse();
    }
}
