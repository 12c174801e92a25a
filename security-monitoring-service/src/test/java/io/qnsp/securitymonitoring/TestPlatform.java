package io.qnsp.securitymonitoring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qnsp.test.infra.StubHttpServers;
import io.qnsp.test.token.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The platform's services as security monitoring calls them, on one real HTTP server that records every call:
 * auth-service (client-credentials tokens for registered responder clients, API key listing and revocation),
 * audit-service (DataHub webhook listing), the gateway (its service list and the documents it serves),
 * kms-service (key listing, disabling), vault-service (secret version state) and webhook receivers. Every call but a
 * token request needs a bearer token; the tenant is read from it, as the real services do.
 */
public final class TestPlatform {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestPlatform INSTANCE = new TestPlatform();

    /** A call the platform received: method, path, the caller's tenant (null for webhooks), the body. */
    public record Call(String method, String path, String tenant, String body) {
    }

    public record ApiKey(String id, String name, List<String> scopes, String status, Instant createdAt,
                         Instant lastUsedAt, Instant expiresAt) {
    }

    public record KmsKey(String keyId, String name, String state, Instant createdAt, Instant rotatedAt) {
    }

    private record Client(String tenant, String secret, List<String> scopes) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, List<ApiKey>> apiKeys = new ConcurrentHashMap<>();
    private final Map<String, List<KmsKey>> kmsKeys = new ConcurrentHashMap<>();
    private final Map<String, List<String[]>> webhooks = new ConcurrentHashMap<>();
    private final Map<String, String> documents = new java.util.LinkedHashMap<>();
    private final int port;

    private TestPlatform() {
        HttpServer server = StubHttpServers.start(0, http -> {
            http.createContext("/oauth2/token", this::token);
            http.createContext("/api/v1/keys", this::apiKeys);
            http.createContext("/api/v1/webhooks", this::webhooks);
            http.createContext("/kms/v1/keys", this::kmsKeys);
            http.createContext("/v1/versioned-secrets", this::secrets);
            http.createContext("/hooks", this::hook);
            http.createContext("/health/services", this::services);
            http.createContext("/docs", this::document);
        });
        port = server.getAddress().getPort();
    }

    public static TestPlatform instance() {
        return INSTANCE;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public String hookUrl(String name) {
        return url() + "/hooks/" + name;
    }

    /** Registers a tenant's OAuth2 client whose client-credentials tokens carry the scopes. */
    public void registerClient(String tenant, String clientId, String secret, String... scopes) {
        clients.put(clientId, new Client(tenant, secret, List.of(scopes)));
    }

    public void addApiKey(String tenant, ApiKey key) {
        apiKeys.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>()).add(key);
    }

    public void addKmsKey(String tenant, KmsKey key) {
        kmsKeys.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>()).add(key);
    }

    /**
     * The gateway's routed services and the documents it serves for them: each operation given as
     * {@code METHOD /path} with the scopes it requires, "public" for one without credentials, "unscoped" for one any
     * credential passes. A service without operations is listed but its document answers 503.
     */
    public synchronized void routeService(String service, Map<String, String> operations) {
        if (operations.isEmpty()) {
            documents.put(service, null);
            return;
        }
        ObjectNode document = JSON.createObjectNode().put("openapi", "3.1.0");
        ObjectNode paths = document.putObject("paths");
        operations.forEach((operation, requirement) -> {
            String[] parts = operation.split(" ", 2);
            ObjectNode op = (paths.has(parts[1]) ? (ObjectNode) paths.get(parts[1]) : paths.putObject(parts[1]))
                    .putObject(parts[0].toLowerCase(java.util.Locale.ROOT));
            ArrayNode security = op.putArray("security");
            if (!requirement.equals("public")) {
                security.addObject().putArray("bearerAuth");
            }
            if (!requirement.equals("public") && !requirement.equals("unscoped")) {
                ArrayNode scopes = op.putArray("x-required-scopes");
                for (String scope : requirement.split(",")) {
                    scopes.add(scope);
                }
            }
        });
        documents.put(service, document.toString());
    }

    private synchronized void services(HttpExchange e) throws IOException {
        ObjectNode services = JSON.createObjectNode();
        documents.keySet().forEach(service -> services.put(service, "up"));
        ObjectNode body = JSON.createObjectNode().put("status", "up");
        body.set("services", services);
        StubHttpServers.json(e, 200, body.toString());
    }

    private synchronized void document(HttpExchange e) throws IOException {
        String service = e.getRequestURI().getPath().replaceAll("^/docs/([^/]+)/v3/api-docs$", "$1");
        String document = documents.get(service);
        if (document == null) {
            StubHttpServers.json(e, 503, "{\"statusCode\":503,\"error\":\"service_unavailable\"}");
            return;
        }
        StubHttpServers.json(e, 200, document);
    }

    /** Adds a DataHub webhook of the tenant at audit-service. */
    public void addWebhook(String tenant, String id, String name, String url) {
        webhooks.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>()).add(new String[] {id, name, url});
    }

    private void webhooks(HttpExchange e) throws IOException {
        String tenant = tenant(e, "read:webhooks");
        if (tenant == null) {
            return;
        }
        calls.add(new Call(e.getRequestMethod(), e.getRequestURI().getPath(), tenant, ""));
        ArrayNode data = JSON.createArrayNode();
        for (String[] hook : webhooks.getOrDefault(tenant, List.of())) {
            data.addObject().put("id", hook[0]).put("name", hook[1]).put("url", hook[2]).put("active", true)
                    .put("status", "active");
        }
        ObjectNode body = JSON.createObjectNode().put("success", true);
        body.set("data", data);
        body.set("pagination", JSON.createObjectNode().put("page", 1).put("pageSize", 100)
                .put("totalItems", data.size()).put("totalPages", data.isEmpty() ? 0 : 1));
        StubHttpServers.json(e, 200, body.toString());
    }

    public List<Call> calls() {
        return calls;
    }

    public List<Call> callsTo(String method, String path) {
        return calls.stream().filter(c -> c.method().equals(method) && c.path().equals(path)).toList();
    }

    private void token(HttpExchange e) throws IOException {
        String authorization = e.getRequestHeaders().getFirst("Authorization");
        String form = StubHttpServers.body(e);
        if (authorization == null || !authorization.startsWith("Basic ") || !form.contains("grant_type="
                + "client_credentials")) {
            StubHttpServers.json(e, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String[] pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8)
                .split(":", 2);
        Client client = clients.get(pair[0]);
        if (client == null || pair.length < 2 || !client.secret().equals(pair[1])) {
            StubHttpServers.json(e, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        calls.add(new Call("POST", "/oauth2/token", client.tenant(), "client_id=" + pair[0]));
        String token = TestTokens.forTenant(client.tenant()).subject(pair[0])
                .scopes(client.scopes().toArray(String[]::new)).mint();
        StubHttpServers.json(e, 200, JSON.createObjectNode().put("access_token", token)
                .put("token_type", "Bearer").put("expires_in", 300).toString());
    }

    private String tenant(HttpExchange e, String scope) throws IOException {
        String authorization = e.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            StubHttpServers.json(e, 401, "{\"statusCode\":401,\"error\":\"unauthorized\"}");
            return null;
        }
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(authorization.substring(7)
                .split("\\.")[1]), StandardCharsets.UTF_8));
        String scopes = claims.path("scope").asString("");
        if (!List.of(scopes.split(" ")).contains(scope)) {
            StubHttpServers.json(e, 403, "{\"statusCode\":403,\"error\":\"insufficient_scope\"}");
            return null;
        }
        return claims.get("tenant_id").asString();
    }

    private void apiKeys(HttpExchange e) throws IOException {
        String method = e.getRequestMethod();
        String tenant = tenant(e, method.equals("GET") ? "read:keys" : "write:keys");
        if (tenant == null) {
            return;
        }
        String path = e.getRequestURI().getPath();
        calls.add(new Call(method, path, tenant, StubHttpServers.body(e)));
        if (method.equals("GET")) {
            ArrayNode data = JSON.createArrayNode();
            for (ApiKey key : apiKeys.getOrDefault(tenant, List.of())) {
                ObjectNode k = data.addObject().put("id", key.id()).put("name", key.name())
                        .put("status", key.status()).put("createdAt", key.createdAt().toString());
                k.put("lastUsedAt", key.lastUsedAt() == null ? null : key.lastUsedAt().toString());
                k.put("expiresAt", key.expiresAt() == null ? null : key.expiresAt().toString());
                ArrayNode scopes = k.putArray("scopes");
                key.scopes().forEach(scopes::add);
            }
            ObjectNode body = JSON.createObjectNode().put("success", true);
            body.set("data", data);
            body.set("pagination", JSON.createObjectNode().put("page", 1).put("pageSize", 100)
                    .put("totalItems", data.size()).put("totalPages", 1));
            StubHttpServers.json(e, 200, body.toString());
            return;
        }
        StubHttpServers.json(e, 200, JSON.createObjectNode().put("success", true).toString());
    }

    private void kmsKeys(HttpExchange e) throws IOException {
        String method = e.getRequestMethod();
        String tenant = tenant(e, method.equals("GET") ? "kms:read" : "kms:write");
        if (tenant == null) {
            return;
        }
        String path = e.getRequestURI().getPath();
        calls.add(new Call(method, path, tenant, StubHttpServers.body(e)));
        if (method.equals("GET") && path.equals("/kms/v1/keys")) {
            ArrayNode keys = JSON.createArrayNode();
            for (KmsKey key : kmsKeys.getOrDefault(tenant, List.of())) {
                ObjectNode k = keys.addObject().put("keyId", key.keyId()).put("name", key.name())
                        .put("state", key.state()).put("createdAt", key.createdAt().toString());
                k.put("rotatedAt", key.rotatedAt() == null ? null : key.rotatedAt().toString());
            }
            ObjectNode body = JSON.createObjectNode().put("total", keys.size());
            body.set("keys", keys);
            StubHttpServers.json(e, 200, body.toString());
            return;
        }
        if (method.equals("GET")) {
            String id = path.substring("/kms/v1/keys/".length());
            KmsKey key = kmsKeys.getOrDefault(tenant, List.of()).stream().filter(k -> k.keyId().equals(id))
                    .findFirst().orElse(null);
            if (key == null) {
                StubHttpServers.json(e, 404, "{\"statusCode\":404,\"error\":\"not_found\"}");
                return;
            }
            ObjectNode k = JSON.createObjectNode().put("keyId", key.keyId()).put("name", key.name())
                    .put("state", key.state()).put("createdAt", key.createdAt().toString());
            k.put("rotatedAt", key.rotatedAt() == null ? null : key.rotatedAt().toString());
            StubHttpServers.json(e, 200, k.toString());
            return;
        }
        StubHttpServers.json(e, 200, "{}");
    }

    private void secrets(HttpExchange e) throws IOException {
        String tenant = tenant(e, "vault:write");
        if (tenant == null) {
            return;
        }
        calls.add(new Call(e.getRequestMethod(), e.getRequestURI().getPath(), tenant, StubHttpServers.body(e)));
        StubHttpServers.json(e, 200, "{}");
    }

    private void hook(HttpExchange e) throws IOException {
        calls.add(new Call(e.getRequestMethod(), e.getRequestURI().getPath(), null, StubHttpServers.body(e)));
        StubHttpServers.json(e, 200, "{}");
    }
}
