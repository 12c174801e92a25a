package io.qnsp.common.web;

import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.slf4j.MDC;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Request ids: taken from a well-formed {@code X-Request-Id}, generated otherwise, on every response and error. */
@SpringBootTest(classes = HttpTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"qnsp.security.public-paths=/probe/**", "qnsp.security.admin-token=request-id-admin"})
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class RequestIdTests {

    @LocalServerPort
    int port;

    TestHttp http;

    @BeforeEach
    void setUp() {
        http = new TestHttp(port);
    }

    @Test
    void wellFormedIdIsAcceptedEchoedAndInTheMdc() {
        String id = "client-req_01H5X4.Y6:Z8";
        TestHttp.Response response = http.get("/probe/request-id", "X-Request-Id", id);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Request-Id")).isEqualTo(id);
        assertThat(response.json().get("mdc").asString()).isEqualTo(id);
    }

    @Test
    void eachRequestLeavesOneAccessLogLineWithItsIdAndRoutePatternNotItsPath(CapturedOutput output) {
        String id = "access-log-" + UUID.randomUUID();
        http.get("/probe/things/secret-looking-value", "X-Request-Id", id);

        // the line is written as the server thread leaves the filter, which may be just after the client has read
        String line = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> output.getAll().lines().filter(l -> l.contains(id))
                        .filter(l -> l.contains("io.qnsp.access")).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(line).contains("GET /probe/things/{id}");
        assertThat(line).doesNotContain("secret-looking-value");
    }

    @Test
    void absentIdIsGenerated() {
        TestHttp.Response first = http.get("/probe/request-id");
        TestHttp.Response second = http.get("/probe/request-id");

        String id = first.header("X-Request-Id");
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(first.json().get("mdc").asString()).isEqualTo(id);
        assertThat(second.header("X-Request-Id")).isNotEqualTo(id);
    }

    @Test
    void malformedIdsAreReplaced() {
        for (String malformed : new String[]{"has space", "<script>", "a".repeat(129), "semi;colon", ""}) {
            TestHttp.Response response = http.get("/probe/request-id", "X-Request-Id", malformed);

            String id = response.header("X-Request-Id");
            assertThat(id).as("replacement for [%s]", malformed).isNotEqualTo(malformed);
            assertThat(UUID.fromString(id).toString()).isEqualTo(id);
            assertThat(response.json().get("mdc").asString()).isEqualTo(id);
        }
        String longest = "b".repeat(128);
        assertThat(http.get("/probe/request-id", "X-Request-Id", longest).header("X-Request-Id")).isEqualTo(longest);
    }

    @Test
    void idIsInErrorBodiesFromMvc() {
        TestHttp.Response response = http.get("/probe/boom", "X-Request-Id", "req-500");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.header("X-Request-Id")).isEqualTo("req-500");
        assertThat(response.json().get("requestId").asString()).isEqualTo("req-500");
    }

    @Test
    void idIsOnSecurityRejections() {
        TestHttp.Response missing = http.get("/secure/caller", "X-Request-Id", "req-401");
        TestHttp.Response wrongAdmin = http.get("/secure/caller", "X-Request-Id", "req-401-admin",
                "X-Admin-Token", "wrong");

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("X-Request-Id")).isEqualTo("req-401");
        assertThat(missing.json().get("requestId").asString()).isEqualTo("req-401");
        assertThat(wrongAdmin.status()).isEqualTo(401);
        assertThat(wrongAdmin.header("X-Request-Id")).isEqualTo("req-401-admin");
        assertThat(wrongAdmin.json().get("requestId").asString()).isEqualTo("req-401-admin");
    }

    @Test
    void generatedIdIsTheSameInHeaderAndErrorBody() {
        TestHttp.Response response = http.get("/secure/caller");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("requestId").asString()).isEqualTo(response.header("X-Request-Id"));
    }

    @Test
    void mdcIsSetDuringTheRequestAndClearedAfter() throws Exception {
        MDC.remove(RequestIds.MDC_KEY);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
        request.addHeader(RequestIds.HEADER, "inside-1");
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<String> seen = new AtomicReference<>();

        new RequestIdFilter().doFilter(request, response, (req, res) -> seen.set(RequestIds.current()));

        assertThat(seen.get()).isEqualTo("inside-1");
        assertThat(response.getHeader(RequestIds.HEADER)).isEqualTo("inside-1");
        assertThat(request.getAttribute(RequestIds.ATTRIBUTE)).isEqualTo("inside-1");
        assertThat(RequestIds.current()).isNull();
    }

    @Test
    void errorDispatchKeepsTheIdOfTheOriginalRequest() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestIds.ATTRIBUTE, "original-1");
        request.addHeader(RequestIds.HEADER, "something-else");
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<String> seen = new AtomicReference<>();

        new RequestIdFilter().doFilter(request, response, (req, res) -> seen.set(RequestIds.current()));

        assertThat(seen.get()).isEqualTo("original-1");
        assertThat(response.getHeader(RequestIds.HEADER)).isEqualTo("original-1");
    }
}
