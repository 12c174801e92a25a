package io.qnsp.tenant.onboarding;

import io.qnsp.tenant.TenantSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The calls onboarding makes to the platform's other services over HTTP: auth-service's tenant admin API and token
 * endpoint, and the DataHub API keys. A refusal or an unreachable service is a {@link StepFailed} naming the call and
 * the answer's status and error (never a secret).
 */
@Component
class PlatformCalls {

    /** A step's call failed; the message is shown on the step. */
    static final class StepFailed extends Exception {

        StepFailed(String message) {
            super(message);
        }
    }

    private final TenantSettings.Onboarding settings;
    private final JsonMapper json;
    private final HttpClient http;

    PlatformCalls(TenantSettings settings, JsonMapper json) {
        this.settings = settings.onboarding();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(this.settings.callTimeout()).build();
    }

    JsonNode createTenant(String bearer, Map<String, Object> tenant) throws StepFailed {
        return send("create the tenant", bearer, post(settings.authUrl(), "/auth/admin/tenants", tenant), 201);
    }

    JsonNode tenant(String bearer, String tenantId) throws StepFailed {
        return send("read the tenant", bearer, HttpRequest.newBuilder(uri(settings.authUrl(),
                "/auth/admin/tenants/" + encode(tenantId))).GET(), 200);
    }

    JsonNode createClient(String bearer, String tenantId, Map<String, Object> client) throws StepFailed {
        return send("register the administrator client", bearer,
                post(settings.authUrl(), "/auth/admin/tenants/" + encode(tenantId) + "/clients", client), 201);
    }

    /** A client-credentials token of the client; the answer's access_token. */
    String clientToken(String clientId, String clientSecret) throws StepFailed {
        String credentials = Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(clientSecret))
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(settings.authUrl(), "/oauth2/token"))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
        JsonNode token = send("get a token as the administrator client", null, request, 200);
        String value = token.path("access_token").asString(null);
        if (value == null || value.isBlank()) {
            throw new StepFailed("the token endpoint answered without an access_token");
        }
        return value;
    }

    JsonNode createApiKey(String bearer, Map<String, Object> key) throws StepFailed {
        return send("issue the API key", bearer, post(settings.apiKeysUrl(), "/api/v1/keys", key), 201);
    }

    private HttpRequest.Builder post(URI base, String path, Object body) {
        return HttpRequest.newBuilder(uri(base, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    }

    private JsonNode send(String what, @Nullable String bearer, HttpRequest.Builder request, int expected)
            throws StepFailed {
        request.timeout(settings.callTimeout()).header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StepFailed("could not " + what + ": the service did not answer (" + e.getClass().getSimpleName()
                    + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailed("could not " + what + ": interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() != expected) {
            String error = body == null ? "" : body.path("error").asString("");
            String message = body == null ? "" : body.path("message").asString("");
            throw new StepFailed(("could not " + what + ": " + response.statusCode() + " " + error + " " + message)
                    .strip());
        }
        if (body == null) {
            throw new StepFailed("could not " + what + ": the answer was not JSON");
        }
        return body;
    }

    private @Nullable JsonNode parse(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static URI uri(URI base, String path) {
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        return URI.create(root + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
