package io.qnsp.platform;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform as a user meets it: started by the launcher, reached only over HTTP through the gateway, with the
 * credentials the launcher printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformBlackBoxIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RunningPlatform platform;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startPlatform() throws Exception {
        platform = RunningPlatform.start(Duration.ofMinutes(5));
    }

    @AfterAll
    void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void theLauncherPrintsTheBootstrapCredentialsOnceAndAWorkingTokenRequest() throws Exception {
        String clientId = platform.printedValue("client id:\\s+(\\S+)");
        assertThat(platform.printedValue("admin API key:\\s+(dh_live_\\S+)")).hasSizeGreaterThan(30);
        assertThat(platform.printed()).contains("QNSP platform is up.");
        HttpResponse<String> token = tokenResponse(clientId, platform.printedValue("client secret:\\s+(\\S+)"));
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(token.body()).get("access_token").asString()).isNotBlank();
        // the credentials file was shown and removed
        assertThat(platform.home.resolve("auth-bootstrap-credentials.txt")).doesNotExist();
    }

    @Test
    void aJwtFromTheTokenEndpointOpensTheApiThroughTheGateway() throws Exception {
        String token = adminToken();
        HttpResponse<String> tenant = send(get("/auth/admin/tenants/platform").header("Authorization", "Bearer " + token));
        assertThat(tenant.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(tenant.body()).get("plan").asString()).isEqualTo("enterprise");

        HttpResponse<String> withoutToken = send(get("/auth/admin/tenants/platform"));
        assertThat(withoutToken.statusCode()).isEqualTo(401);
        HttpResponse<String> forged = send(get("/auth/admin/tenants/platform")
                .header("Authorization", "Bearer " + token.substring(0, token.length() - 4) + "AAAA"));
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    @Test
    void dataHubKeysAreManagedThroughTheGatewayInTheDataHubEnvelope() throws Exception {
        String token = adminToken();
        HttpResponse<String> created = send(post("/api/v1/keys",
                "{\"name\":\"black-box key\",\"scopes\":[\"read:keys\"]}").header("Authorization", "Bearer " + token));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("data").get("apiKey").asString()).startsWith("dh_live_");
        assertThat(body.get("meta").get("requestId").asString()).isNotBlank();

        HttpResponse<String> invalid = send(post("/api/v1/keys", "{\"name\":\"x\",\"scopes\":[]}")
                .header("Authorization", "Bearer " + token));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).get("error").get("code").asString()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void theRateLimitServiceAnswersThroughTheGateway() throws Exception {
        String adminToken = platform.printedValue("Admin token \\(X-Admin-Token[^:]*:\\s+(\\S+)");
        HttpResponse<String> created = send(post("/v1/api-keys", "{\"name\":\"through the gateway\"}")
                .header("X-Admin-Token", adminToken));
        assertThat(created.statusCode()).isEqualTo(200);
        String key = JSON.readTree(created.body()).get("apiKey").asString();
        HttpResponse<String> limits = send(HttpRequest.newBuilder(uri("/v1/api-keys/" + key + "/limits"))
                .header("X-Admin-Token", adminToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"algorithm\":\"token_bucket\",\"tokensPerSecond\":1,\"burstCapacity\":2}")));
        assertThat(limits.statusCode()).isEqualTo(200);
        String check = "{\"apiKey\":\"" + key + "\"}";
        assertThat(send(post("/v1/check", check)).statusCode()).isEqualTo(200);
        assertThat(send(post("/v1/check", check)).statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = send(post("/v1/check", check));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void aRequestIdFlowsFromTheClientIntoTheServiceLog() throws Exception {
        String requestId = "black-box-" + UUID.randomUUID();
        HttpResponse<String> response = send(get("/auth/admin/tenants/platform")
                .header("Authorization", "Bearer " + adminToken()).header("X-Request-Id", requestId));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-Id")).contains(requestId);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!platform.serviceLog("auth-service").contains(requestId) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(platform.serviceLog("auth-service")).contains("\"requestId\":\"" + requestId + "\"");
    }

    private String adminToken() throws Exception {
        HttpResponse<String> response = tokenResponse(platform.printedValue("client id:\\s+(\\S+)"),
                platform.printedValue("client secret:\\s+(\\S+)"));
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asString();
    }

    private HttpResponse<String> tokenResponse(String clientId, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private URI uri(String path) {
        return URI.create(platform.gateway() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
