package io.qnsp.platform;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests to a running platform through its gateway, as a client of it makes them: the operator's token from the
 * credentials the launcher printed, new tenants with clients of their own, and JSON requests with a timeout that a
 * hanging answer fails.
 */
final class GatewayCalls {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final RunningPlatform platform;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    GatewayCalls(RunningPlatform platform) {
        this.platform = platform;
    }

    /** A tenant's client: its credentials and a bearer token ({@code "Bearer …"}) it was issued. */
    record TenantClient(String tenantId, String clientId, String clientSecret, String bearer) {
    }

    /** A token of the operator's client, the one the launcher printed the credentials of. */
    String operatorToken() throws Exception {
        HttpResponse<String> response = tokenResponse(platform.printedValue("client id:\\s+(\\S+)"),
                platform.printedValue("client secret:\\s+(\\S+)"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asString();
    }

    HttpResponse<String> tokenResponse(String clientId, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    /** A new tenant (its id {@code prefix-…}) with a client holding the scopes, created by the operator. */
    TenantClient tenantClient(String operatorBearer, String prefix, String... scopes) throws Exception {
        return tenantClient(operatorBearer, prefix, List.of(), scopes);
    }

    /** A new tenant as above, subscribed to the add-ons (e.g. {@code byohsm}) besides its plan. */
    TenantClient tenantClient(String operatorBearer, String prefix, List<String> addOns, String... scopes)
            throws Exception {
        String tenant = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = send(post("/auth/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\""
                + prefix + "\",\"plan\":\"enterprise\",\"addOns\":" + JSON.writeValueAsString(addOns) + "}")
                .header("Authorization", operatorBearer));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> client = send(post("/auth/admin/tenants/" + tenant + "/clients", "{\"name\":\"app\","
                + "\"scopes\":" + JSON.writeValueAsString(List.of(scopes)) + "}").header("Authorization", operatorBearer));
        assertThat(client.statusCode()).as(client.body()).isEqualTo(201);
        JsonNode issued = JSON.readTree(client.body());
        String clientId = issued.get("clientId").asString();
        String secret = issued.get("clientSecret").asString();
        HttpResponse<String> token = tokenResponse(clientId, secret);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return new TenantClient(tenant, clientId, secret,
                "Bearer " + JSON.readTree(token.body()).get("access_token").asString());
    }

    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    HttpRequest.Builder delete(String path) {
        return HttpRequest.newBuilder(uri(path)).DELETE();
    }

    HttpRequest.Builder post(String path, String json) {
        return withJson(path, "POST", json);
    }

    HttpRequest.Builder put(String path, String json) {
        return withJson(path, "PUT", json);
    }

    HttpRequest.Builder patch(String path, String json) {
        return withJson(path, "PATCH", json);
    }

    private HttpRequest.Builder withJson(String path, String method, String json) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
    }

    URI uri(String path) {
        return URI.create(platform.gateway() + path);
    }

    /** The client itself, for answers read otherwise than as one string (a stream, bytes). */
    HttpClient client() {
        return http;
    }

    /**
     * Sends as built; a request that gets no answer within {@link #REQUEST_TIMEOUT} fails the test. Every secret the
     * answer shows (see {@link #SECRET_FIELDS}) is remembered for the secrets-at-rest drill.
     */
    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        rememberSecrets(response.body());
        return response;
    }

    /** Names of the fields whose values are secrets wherever an answer holds them. */
    static final Set<String> SECRET_FIELDS = Set.of("clientSecret", "adminClientSecret", "apiKey", "access_token",
            "refresh_token", "secret", "signingSecret", "password", "recoveredKey", "share");
    private static final Set<String> SECRETS_SEEN = ConcurrentHashMap.newKeySet();

    /** Every secret an answer through any {@code GatewayCalls} of this test run has shown so far. */
    static Set<String> secretsSeen() {
        return Set.copyOf(SECRETS_SEEN);
    }

    /** Remembers a secret the test made itself (a value it stored, a plaintext it had encrypted). */
    static void rememberSecret(String secret) {
        SECRETS_SEEN.add(secret);
    }

    private static void rememberSecrets(String body) {
        if (body == null || body.isEmpty() || (body.charAt(0) != '{' && body.charAt(0) != '[')) {
            return;
        }
        try {
            rememberSecrets(JSON.readTree(body));
        } catch (RuntimeException notJson) {
            // not JSON after all: nothing to remember
        }
    }

    private static void rememberSecrets(JsonNode node) {
        node.properties().forEach(field -> {
            JsonNode value = field.getValue();
            // a short value is a placeholder or a prefix, not a secret (and would match everywhere)
            if (value.isString() && SECRET_FIELDS.contains(field.getKey()) && value.asString().length() >= 12) {
                SECRETS_SEEN.add(value.asString());
            }
        });
        node.forEach(GatewayCalls::rememberSecrets);
    }

    /** Sends with an {@code Authorization} header ({@code "Bearer …"}). */
    HttpResponse<String> send(HttpRequest.Builder request, String authorization) throws Exception {
        return send(request.header("Authorization", authorization));
    }
}
