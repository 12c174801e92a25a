package io.qnsp.gateway.web;

import io.qnsp.gateway.GatewayApplication;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's edge against stub backends: request ids, errors in each family's format (404, 405, 413, 500, and
 * 503 for a backend that is down or too slow), and CORS.
 */
@SpringBootTest(classes = {GatewayApplication.class, EdgeIntegrationTests.FailingRoute.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"qnsp.gateway.response-timeout=500ms",
                "qnsp.gateway.max-request-body=1KB",
                "qnsp.gateway.path-limits[0].paths=/kms/v1/uploads/*",
                "qnsp.gateway.path-limits[0].max-request-body=8KB",
                "qnsp.gateway.cors.allowed-origins=https://admin.example.test"})
@ExtendWith(OutputCaptureExtension.class)
class EdgeIntegrationTests {

    private static final StubBackend backend = StubBackend.start();
    private static final String ORIGIN = "https://admin.example.test";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestGateway.redis(registry, TestRedis.shared());
        TestGateway.trustTestTokens(registry);
        for (String service : List.of("AUTH", "ACCESS", "KMS", "VAULT", "KPI", "RATELIMIT", "BILLING", "AUDIT")) {
            registry.add("QNSP_" + service + "_URL", backend::url);
        }
        registry.add("QNSP_STORAGE_URL", StubBackend::refusingUrl);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    /** A route whose filter fails unexpectedly, with a message that must never reach the caller. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FailingRoute {

        @Bean
        RouteLocator failingRoute(RouteLocatorBuilder builder) {
            return builder.routes()
                    .route("failing", route -> route.path("/kms/v1/failing")
                            .filters(filters -> filters.filter((exchange, chain) ->
                                    Mono.error(new IllegalStateException("internal detail: db password hunter2"))))
                            .uri(backend.url()))
                    .build();
        }
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @BeforeEach
    void client() {
        client = TestGateway.client(port);
    }

    @Test
    void aWellFormedRequestIdTravelsFromTheClientToTheBackendAndBackOnce() {
        EntityExchangeResult<byte[]> result = client.get().uri("/kms/v1/things")
                .header("X-Request-Id", "client-req:42.a_b-c")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();

        // the backend echoes the id as well; the caller still sees it once
        assertThat(result.getResponseHeaders().get("X-Request-Id")).containsExactly("client-req:42.a_b-c");
        assertThat(backend.last("/kms/v1/things").header("X-Request-Id")).isEqualTo("client-req:42.a_b-c");
    }

    @Test
    void eachRequestLeavesOneAccessLogLineWithItsIdAndRouteButNotItsPath(CapturedOutput output) {
        String id = "access-" + UUID.randomUUID();
        client.get().uri("/kms/v1/keys/dh_live_secretlooking").header("X-Request-Id", id)
                .exchange()
                .expectStatus().isOk();

        await().atMost(Duration.ofSeconds(30)).until(() -> accessLines(output, id).size() == 1);
        String line = accessLines(output, id).getFirst();
        assertThat(line).contains("GET route kms 200").doesNotContain("dh_live_secretlooking");
    }

    private static List<String> accessLines(CapturedOutput output, String id) {
        return output.getOut().lines()
                .filter(line -> line.contains("\"logger_name\":\"io.qnsp.access\""))
                .filter(line -> line.contains("\"requestId\":\"" + id + "\""))
                .toList();
    }

    @Test
    void aMalformedOrMissingRequestIdIsReplacedByANewOneTheBackendSeesToo() {
        String offered = "not allowed!" + "x".repeat(200);
        String answered = client.get().uri("/kms/v1/replaced")
                .header("X-Request-Id", offered)
                .exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");

        assertThat(answered).isNotEqualTo(offered);
        assertThat(UUID.fromString(answered)).isNotNull();
        assertThat(backend.last("/kms/v1/replaced").header("X-Request-Id")).isEqualTo(answered);

        String generated = client.get().uri("/kms/v1/generated").exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");
        assertThat(UUID.fromString(generated)).isNotNull();
        assertThat(backend.last("/kms/v1/generated").header("X-Request-Id")).isEqualTo(generated);
    }

    @Test
    void aPathNoRouteServesIsA404InTheQnspFormat() {
        // even a browser asking for HTML gets the JSON error, never an error page
        JsonNode body = json(client.get().uri("/nowhere/at/all").header("X-Request-Id", "r-404")
                .accept(MediaType.TEXT_HTML)
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().valueEquals("X-Request-Id", "r-404")
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().returnResult());

        assertThat(body.get("statusCode").asInt()).isEqualTo(404);
        assertThat(body.get("error").asString()).isEqualTo("NOT_FOUND");
        assertThat(body.get("message").asString()).isEqualTo("The requested resource was not found");
        assertThat(body.get("requestId").asString()).isEqualTo("r-404");
        assertThat(body.get("timestamp").asString()).isNotBlank();
    }

    @Test
    void aDataHubPathNoRouteServesIsA404InTheDataHubFormat() {
        JsonNode body = json(client.get().uri("/api/v1/unknown").header("X-Request-Id", "r-dh")
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().returnResult());

        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.at("/error/code").asString()).isEqualTo("NOT_FOUND");
        assertThat(body.at("/meta/requestId").asString()).isEqualTo("r-dh");
    }

    @Test
    void aMethodTheGatewayDoesNotServeIsA405WithAllowInTheFamilyFormat() {
        EntityExchangeResult<byte[]> result = client.post().uri("/health").header("X-Request-Id", "r-405")
                .exchange()
                .expectStatus().isEqualTo(405)
                .expectBody().returnResult();

        assertThat(result.getResponseHeaders().getAllow()).contains(HttpMethod.GET);
        JsonNode body = json(result);
        assertThat(body.at("/error/code").asString()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(body.at("/meta/requestId").asString()).isEqualTo("r-405");
    }

    @Test
    void aRequestTargetAboveTheLimitIsA414InTheFamilyFormatAndAnAnswerEvenWithABody() {
        JsonNode body = json(client.post().uri("/kms/v1/too-long?q=" + "q".repeat(RequestFirewall.MAX_REQUEST_TARGET))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"data\":\"" + "a".repeat(512) + "\"}")
                .exchange()
                .expectStatus().isEqualTo(414)
                .expectBody().returnResult());

        assertThat(body.get("statusCode").asInt()).isEqualTo(414);
        assertThat(body.get("error").asString()).isNotBlank();
        assertThat(body.at("/details/field").asString()).isEqualTo("path");
        assertThat(backend.received()).noneMatch(r -> r.path().equals("/kms/v1/too-long"));
        client.get().uri("/kms/v1/things?q=" + "q".repeat(RequestFirewall.MAX_REQUEST_TARGET - 32))
                .exchange().expectStatus().isOk();
    }

    @Test
    void aDeclaredBodyAboveTheLimitIsRefusedWith413BeforeReachingTheBackend() {
        JsonNode body = json(client.post().uri("/kms/v1/too-large-declared")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"data\":\"" + "a".repeat(2048) + "\"}")
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().exists("X-Request-Id")
                .expectBody().returnResult());

        assertThat(body.get("error").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(body.at("/details/limitBytes").asLong()).isEqualTo(1024);
        assertThat(backend.received()).noneMatch(r -> r.path().equals("/kms/v1/too-large-declared"));
    }

    @Test
    void aChunkedBodyAboveTheLimitIsRefusedWith413() {
        Flux<DataBuffer> chunks = Flux.range(0, 8).map(i -> DefaultDataBufferFactory.sharedInstance
                .wrap("b".repeat(512).getBytes(StandardCharsets.UTF_8)));

        JsonNode body = json(client.post().uri("/kms/v1/too-large-chunked")
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(chunks, DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().returnResult());

        assertThat(body.get("error").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void aPathWithALimitOfItsOwnTakesBodiesUpToItAndRefusesLargerOnes() {
        client.put().uri("/kms/v1/uploads/report.bin").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue("c".repeat(6 * 1024))
                .exchange()
                .expectStatus().isOk();
        assertThat(backend.last("/kms/v1/uploads/report.bin").body()).hasSize(6 * 1024);

        JsonNode body = json(client.put().uri("/kms/v1/uploads/huge.bin")
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue("c".repeat(9 * 1024))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().returnResult());
        assertThat(body.at("/details/limitBytes").asLong()).isEqualTo(8 * 1024);
        // the default limit still holds beside it
        client.put().uri("/kms/v1/uploads").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"data\":\"" + "a".repeat(2048) + "\"}")
                .exchange()
                .expectStatus().isEqualTo(413);
    }

    @Test
    void bodiesWithinTheLimitReachTheBackendWhetherDeclaredOrChunked() {
        client.post().uri("/kms/v1/small").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"data\":\"" + "a".repeat(900) + "\"}")
                .exchange()
                .expectStatus().isOk();
        assertThat(backend.last("/kms/v1/small").body()).hasSize(911);

        Flux<DataBuffer> chunks = Flux.range(0, 3).map(i -> DefaultDataBufferFactory.sharedInstance
                .wrap("c".repeat(300).getBytes(StandardCharsets.UTF_8)));
        client.post().uri("/kms/v1/small-chunked").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(chunks, DataBuffer.class)
                .exchange()
                .expectStatus().isOk();
        assertThat(backend.last("/kms/v1/small-chunked").body()).hasSize(900);
    }

    @Test
    void aBackendThatIsDownAnswers503ServiceUnavailable() {
        JsonNode body = json(client.get().uri("/storage/v1/objects").header("X-Request-Id", "r-down")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("X-Request-Id", "r-down")
                .expectBody().returnResult());

        assertThat(body.get("statusCode").asInt()).isEqualTo(503);
        assertThat(body.get("error").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(body.at("/details/service").asString()).isEqualTo("storage");
        assertThat(body.at("/details/reason").asString()).isEqualTo("unreachable");
        assertThat(body.get("requestId").asString()).isEqualTo("r-down");
    }

    @Test
    void aBackendSlowerThanTheResponseTimeoutAnswers503InsteadOfHanging() {
        // the client gives up after 8s; the backend would answer after 10s; the gateway's timeout is 500ms
        JsonNode body = json(client.get().uri("/kms/v1/slow")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().returnResult());

        assertThat(body.get("error").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(body.at("/details/service").asString()).isEqualTo("kms");
        assertThat(body.at("/details/reason").asString()).isEqualTo("timeout");
    }

    @Test
    void aSlowBackendOnADataHubPathAnswersInTheDataHubFormat() {
        JsonNode body = json(client.get().uri("/api/v1/requests/slow").header("X-Request-Id", "r-dh-slow")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().returnResult());

        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.at("/error/code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(body.at("/error/details/service").asString()).isEqualTo("audit-datahub");
        assertThat(body.at("/meta/requestId").asString()).isEqualTo("r-dh-slow");
    }

    @Test
    void anUnexpectedFailureIsA500ThatRevealsNothing() {
        EntityExchangeResult<byte[]> result = client.get().uri("/kms/v1/failing")
                .exchange()
                .expectStatus().isEqualTo(500)
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().returnResult();

        String raw = new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain("hunter2").doesNotContain("IllegalStateException")
                .doesNotContain("at io.qnsp");
        JsonNode body = json(result);
        assertThat(body.get("error").asString()).isEqualTo("INTERNAL_ERROR");
        assertThat(body.get("message").asString()).isEqualTo("An unexpected error occurred");
        assertThat(body.get("requestId").asString())
                .isEqualTo(result.getResponseHeaders().getFirst("X-Request-Id"));
    }

    @Test
    void aPreflightFromTheDashboardIsAnsweredWithoutCredentialsOrTheBackend() {
        int before = backend.received().size();

        EntityExchangeResult<byte[]> result = client.options().uri("/kms/v1/keys")
                .header(HttpHeaders.ORIGIN, ORIGIN)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization, x-api-key, content-type")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();

        HttpHeaders headers = result.getResponseHeaders();
        assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(ORIGIN);
        assertThat(headers.getAccessControlAllowMethods()).contains(HttpMethod.POST, HttpMethod.DELETE);
        assertThat(headers.getAccessControlAllowHeaders())
                .containsExactlyInAnyOrder("authorization", "x-api-key", "content-type");
        assertThat(headers.getAccessControlMaxAge()).isEqualTo(3600);
        assertThat(headers.getFirst("X-Request-Id")).isNotBlank();
        assertThat(backend.received()).hasSize(before);
    }

    @Test
    void aCrossOriginResponseExposesTheRequestIdAndRateLimitHeadersEvenOnErrors() {
        for (String path : List.of("/kms/v1/exposed", "/nowhere")) {
            HttpHeaders headers = client.get().uri(path).header(HttpHeaders.ORIGIN, ORIGIN)
                    .exchange()
                    .expectBody().returnResult().getResponseHeaders();

            assertThat(headers.getAccessControlAllowOrigin()).as(path).isEqualTo(ORIGIN);
            assertThat(headers.getAccessControlExposeHeaders()).as(path).contains("X-Request-Id",
                    "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");
        }
    }

    @Test
    void anOriginNotAllowedIsRefusedWith403InTheFamilyFormat() {
        JsonNode body = json(client.options().uri("/api/v1/keys")
                .header(HttpHeaders.ORIGIN, "https://evil.example.test")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
                .expectBody().returnResult());

        assertThat(body.at("/error/code").asString()).isEqualTo("FORBIDDEN");
    }

    @Test
    void proxiedAnswersErrorsAndTheGatewaysOwnAnswersCarryTheSecurityHeadersOnce() {
        for (String path : List.of("/kms/v1/things", "/nowhere/at/all", "/api/v1/unknown", "/health")) {
            HttpHeaders headers = client.get().uri(path).exchange().expectBody().returnResult().getResponseHeaders();

            assertThat(headers.get("X-Content-Type-Options")).as(path).containsExactly("nosniff");
            assertThat(headers.get("X-Frame-Options")).as(path).containsExactly("DENY");
            assertThat(headers.get("Cache-Control")).as(path)
                    .containsExactly("no-cache, no-store, max-age=0, must-revalidate");
            assertThat(headers.get("Pragma")).as(path).containsExactly("no-cache");
            assertThat(headers.get("Expires")).as(path).containsExactly("0");
            assertThat(headers.get("X-XSS-Protection")).as(path).containsExactly("0");
            assertThat(headers.get("Referrer-Policy")).as(path).containsExactly("no-referrer");
            assertThat(headers.get("X-Request-Id")).as(path).hasSize(1);
        }
    }

    @Test
    void theRequestIdAndRateLimitHeadersAreWrittenOnceOverTheServicesOwnWhileItsOtherHeadersStay() {
        EntityExchangeResult<byte[]> result = client.get().uri("/kms/v1/own-headers")
                .header("X-Request-Id", "r-own")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();

        HttpHeaders headers = result.getResponseHeaders();
        assertThat(headers.get("X-Request-Id")).containsExactly("r-own");
        // the gateway's decision, not the service's 999
        assertThat(headers.get("X-RateLimit-Limit")).singleElement().isNotEqualTo("999");
        assertThat(headers.get("X-RateLimit-Remaining")).singleElement().isNotEqualTo("998");
        assertThat(headers.get("X-RateLimit-Reset")).hasSize(1);
        // a service's own caching and framing answers are its to give
        assertThat(headers.get("Cache-Control")).containsExactly("private, max-age=60");
        assertThat(headers.get("X-Frame-Options")).containsExactly("SAMEORIGIN");
        assertThat(headers.get("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(backend.last("/kms/v1/own-headers").headers().get("X-Request-Id")).containsExactly("r-own");
    }

    @Test
    void anEncodedSlashOrATraversalIsRefusedWith400InThePathsFamilyBeforeAuthentication() {
        int before = backend.received().size();
        WebTestClient anonymous = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();

        EntityExchangeResult<byte[]> qnsp = anonymous.get()
                .uri(URI.create("http://127.0.0.1:" + port + "/kms/v1/keys/a%2Fb"))
                .header("X-Request-Id", "r-fw")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().returnResult();
        JsonNode body = json(qnsp);
        assertThat(body.get("statusCode").asInt()).isEqualTo(400);
        assertThat(body.get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(body.at("/details/field").asString()).isEqualTo("path");
        assertThat(body.get("requestId").asString()).isEqualTo("r-fw");
        assertThat(qnsp.getResponseHeaders().get("X-Request-Id")).containsExactly("r-fw");
        assertThat(qnsp.getResponseHeaders().get("X-Content-Type-Options")).containsExactly("nosniff");

        JsonNode dataHub = json(anonymous.get()
                .uri(URI.create("http://127.0.0.1:" + port + "/api/v1/requests/%2e%2e/keys"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().returnResult());
        assertThat(dataHub.get("success").asBoolean()).isFalse();
        assertThat(dataHub.at("/error/code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(dataHub.at("/error/details/field").asString()).isEqualTo("path");

        anonymous.get().uri(URI.create("http://127.0.0.1:" + port + "/kms/v1/../v1/keys"))
                .exchange()
                .expectStatus().isBadRequest();
        assertThat(backend.received()).hasSize(before);
    }

    private static JsonNode json(EntityExchangeResult<byte[]> result) {
        byte[] content = result.getResponseBodyContent();
        assertThat(content).as("response body").isNotNull();
        return JsonMapper.shared().readTree(content);
    }
}
