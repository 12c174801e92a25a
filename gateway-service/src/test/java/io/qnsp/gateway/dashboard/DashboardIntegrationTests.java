package io.qnsp.gateway.dashboard;

import io.qnsp.gateway.GatewayApplication;
import io.qnsp.gateway.web.TestGateway;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The web console's files at /dashboard/: public, with a strict CSP, revalidated by ETag, nothing else served. */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardIntegrationTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestGateway.redis(registry, TestRedis.shared());
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @BeforeEach
    void client() {
        // no credentials: the files are public
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(8)).build();
    }

    @Test
    void theConsoleIsServedAtDashboardWithAStrictContentSecurityPolicyAndNoCredentials() {
        EntityExchangeResult<byte[]> index = client.get().uri("/dashboard/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/html;charset=utf-8")
                .expectHeader().valueEquals("Content-Security-Policy", DashboardRoutes.CONTENT_SECURITY_POLICY)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().exists(HttpHeaders.ETAG)
                .expectHeader().exists("X-Request-Id")
                .expectBody().returnResult();
        String html = new String(index.getResponseBodyContent(), StandardCharsets.UTF_8);
        assertThat(html).contains("<script type=\"module\" src=\"js/app.js\"></script>", "QNSP dashboard");
        assertThat(DashboardRoutes.CONTENT_SECURITY_POLICY).startsWith("default-src 'self'")
                .contains("script-src 'self';", "frame-ancestors 'none'", "object-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");

        client.get().uri("/dashboard").exchange()
                .expectStatus().isFound()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/dashboard/");
        client.get().uri("/dashboard/js/app.js").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/javascript;charset=utf-8")
                .expectHeader().valueEquals("Content-Security-Policy", DashboardRoutes.CONTENT_SECURITY_POLICY);
        client.get().uri("/dashboard/css/app.css").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/css;charset=utf-8");
    }

    @Test
    void anUnchangedFileIsAnswered304ForItsETagAndAChangedTagGetsTheFile() {
        String etag = client.get().uri("/dashboard/js/api.js").exchange()
                .expectStatus().isOk()
                .returnResult(byte[].class).getResponseHeaders().getETag();
        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");

        client.get().uri("/dashboard/js/api.js").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectBody().isEmpty();
        client.get().uri("/dashboard/js/api.js").header(HttpHeaders.IF_NONE_MATCH, "\"something-else\"").exchange()
                .expectStatus().isOk()
                .expectBody().consumeWith(result -> assertThat(result.getResponseBodyContent()).isNotEmpty());
        // another file has another tag
        String other = client.get().uri("/dashboard/js/dom.js").exchange()
                .returnResult(byte[].class).getResponseHeaders().getETag();
        assertThat(other).isNotEqualTo(etag);
    }

    @Test
    void onlyTheConsolesOwnFilesAreServed() {
        for (String path : new String[]{"/dashboard/nothing.js", "/dashboard/js/", "/dashboard/js",
                "/dashboard/../application.yml", "/dashboard/%2e%2e/application.yml", "/dashboard/index.html.bak",
                "/dashboard/io/qnsp/gateway/GatewayApplication.class"}) {
            int status = client.get().uri(java.net.URI.create("http://127.0.0.1:" + port + path)).exchange()
                    .returnResult(byte[].class).getStatus().value();
            assertThat(status).as(path).isIn(400, 404);
        }
        client.get().uri("/dashboard/missing.css").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").isEqualTo("NOT_FOUND");
    }

    /**
     * The console renders API data with DOM calls only, and needs neither inline script nor eval: the CSP would stop
     * them, and an API value must never reach an HTML parser.
     */
    @Test
    void theConsolesScriptsNeverParseDataAsHtmlOrCode() throws Exception {
        Resource[] scripts = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:" + DashboardFiles.LOCATION + "**/*.js");
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(10);
        Pattern forbidden = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function"
                + "|setAttribute\\(\\s*'style'|setAttribute\\(\\s*'on");
        for (Resource script : scripts) {
            String text = script.getContentAsString(StandardCharsets.UTF_8);
            Matcher matcher = forbidden.matcher(text);
            assertThat(matcher.find()).as("%s uses %s", script.getFilename(), matcher.find(0) ? matcher.group() : "")
                    .isFalse();
        }
        Resource index = new PathMatchingResourcePatternResolver()
                .getResource("classpath:" + DashboardFiles.LOCATION + "index.html");
        String html = index.getContentAsString(StandardCharsets.UTF_8);
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find()).as("inline script").isFalse();
        assertThat(Pattern.compile("\\son[a-z]+=").matcher(html).find()).as("inline event handler").isFalse();
        assertThat(html).doesNotContain("style=");
    }
}
