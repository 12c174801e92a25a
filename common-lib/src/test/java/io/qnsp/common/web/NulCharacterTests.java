package io.qnsp.common.web;

import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A NUL character, which no text column can store, is refused with 400 naming the field wherever it comes: a JSON
 * string at any depth, a query parameter, a form field.
 */
@SpringBootTest(classes = HttpTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "qnsp.security.public-paths=/probe/**")
@EmbeddedInfrastructure
class NulCharacterTests {

    private static final String LIMITS = "\"limits\":{\"algorithm\":\"token_bucket\",\"burstCapacity\":5}";

    @LocalServerPort
    int port;

    TestHttp http;

    @BeforeEach
    void setUp() {
        http = new TestHttp(port);
    }

    @Test
    void aNulInATopLevelJsonStringIsRefusedNamingTheField() {
        TestHttp.Response response = http.postJson("/probe/things",
                "{\"name\":\"nul\\u0000byte\",\"cost\":1," + LIMITS + "}");

        assertRefused(response, "name");
    }

    @Test
    void aNulInANestedJsonStringIsRefusedNamingItsPath() {
        TestHttp.Response response = http.postJson("/probe/things",
                "{\"name\":\"fine\",\"cost\":1," + LIMITS + ",\"tags\":[{\"name\":\"ok\"},{\"name\":\"\\u0000\"}]}");

        assertRefused(response, "tags[1].name");
    }

    @Test
    void aNulInAQueryParameterIsRefusedNamingTheParameter() {
        assertRefused(http.get("/probe/query?limit=1&algorithm=token%00bucket"), "algorithm");
    }

    @Test
    void formDataThatDoesNotDecodeIsRefusedAsTheCallersError() {
        TestHttp.Response response = http.send(http.request("/probe/text")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("%%%\u0000=&&=")));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("details").get("field").asString()).isEqualTo("body");
        assertThat(response.body()).doesNotContain("Exception", "tomcat");
    }

    @Test
    void textWithoutNulIsTakenAsBefore() {
        TestHttp.Response response = http.postJson("/probe/things",
                "{\"name\":\"line\\r\\nbreak ' OR '1'='1\",\"cost\":1," + LIMITS + "}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().get("name").asString()).isEqualTo("line\r\nbreak ' OR '1'='1");
        assertThat(http.get("/probe/query?limit=1").status()).isEqualTo(200);
    }

    private static void assertRefused(TestHttp.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("details").get("field").asString()).isEqualTo(field);
        assertThat(response.body()).contains("must not contain a NUL character").doesNotContain("Exception");
    }
}
