package io.qnsp.tenant.onboarding;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qnsp.test.infra.StubHttpServers;
import io.qnsp.test.token.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for auth-service: its tenant admin API (platform_admin only, as auth-service
 * checks through the token's roles claim), client registration, the client-credentials token endpoint (which mints
 * a token of the client's tenant signed by the test issuer every service trusts) and the DataHub API keys. It keeps
 * what it was asked and can refuse or hold a call, so tests can see a step fail or pause mid-run.
 */
final class StubAuthService {

    record Call(String method, String path, String authorization, JsonNode body) {
    }

    record Client(String clientId, String secret, String tenantId, List<String> scopes) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final Map<String, JsonNode> tenants = new ConcurrentHashMap<>();
    final Map<String, Client> clients = new ConcurrentHashMap<>();
    final Map<String, String> keyTenants = new ConcurrentHashMap<>();
    /** API key creations still to refuse with 503. */
    final AtomicInteger keyFailures = new AtomicInteger();
    /** While set, client registrations wait for it. */
    volatile CountDownLatch clientGate;
    private final HttpServer server;

    StubAuthService() {
        server = StubHttpServers.start(0, s -> s.createContext("/", this::handle));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Call> callsFor(String tenantId) {
        return calls.stream().filter(call -> call.path().contains(tenantId)
                || (call.body() != null && tenantId.equals(call.body().path("id").asString(null)))
                || tenantId.equals(tenantOfAuthorization(call.authorization()))).toList();
    }

    private String tenantOfAuthorization(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        Client client = clients.get(decoded.split(":", 2)[0]);
        return client == null ? null : client.tenantId();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String raw = StubHttpServers.body(exchange);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        JsonNode body = raw.isBlank() || raw.startsWith("grant_type") ? null : JsonMapper.shared().readTree(raw);
        calls.add(new Call(method, path, authorization, body));
        if (path.equals("/oauth2/token") && method.equals("POST")) {
            token(exchange, authorization, raw);
            return;
        }
        JsonNode claims = claims(authorization);
        if (claims == null) {
            StubHttpServers.json(exchange, 401, "{\"error\":\"unauthorized\",\"message\":\"no token\"}");
            return;
        }
        if (path.equals("/api/v1/keys") && method.equals("POST")) {
            if (keyFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                StubHttpServers.json(exchange, 503, "{\"error\":\"service_unavailable\",\"message\":\"try later\"}");
                return;
            }
            String id = "key_" + UUID.randomUUID();
            keyTenants.put(id, claims.path("tenant_id").asString());
            // the DataHub envelope, as auth-service answers (spec 003)
            StubHttpServers.json(exchange, 201, "{\"success\":true,\"data\":{\"id\":\"" + id + "\",\"apiKey\":\"dh_test_"
                    + UUID.randomUUID().toString().replace("-", "") + "\",\"keyPrefix\":\"dh_test_abcd...\","
                    + "\"status\":\"active\"}}");
            return;
        }
        boolean platformAdmin = false;
        for (JsonNode role : claims.path("roles")) {
            platformAdmin |= role.asString().equals("platform_admin");
        }
        if (!platformAdmin) {
            StubHttpServers.json(exchange, 403, "{\"error\":\"forbidden\",\"message\":\"platform_admin required\"}");
            return;
        }
        String[] parts = path.split("/");
        if (path.equals("/auth/admin/tenants") && method.equals("POST")) {
            String id = body.path("id").asString();
            if (tenants.putIfAbsent(id, body) != null) {
                StubHttpServers.json(exchange, 409, "{\"error\":\"conflict\",\"message\":\"tenant exists\"}");
                return;
            }
            StubHttpServers.json(exchange, 201, body.toString());
        } else if (parts.length == 5 && method.equals("GET") && tenants.containsKey(parts[4])) {
            StubHttpServers.json(exchange, 200, tenants.get(parts[4]).toString());
        } else if (parts.length == 6 && parts[5].equals("clients") && method.equals("POST")
                && tenants.containsKey(parts[4])) {
            CountDownLatch gate = clientGate;
            if (gate != null) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String clientId = "client_" + UUID.randomUUID();
            String secret = "secret_" + UUID.randomUUID();
            List<String> scopes = JsonMapper.shared().convertValue(body.path("scopes"),
                    JsonMapper.shared().getTypeFactory().constructCollectionType(List.class, String.class));
            clients.put(clientId, new Client(clientId, secret, parts[4], scopes));
            StubHttpServers.json(exchange, 201, "{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + secret
                    + "\",\"tenantId\":\"" + parts[4] + "\"}");
        } else {
            StubHttpServers.json(exchange, 404, "{\"error\":\"not_found\",\"message\":\"" + path + "\"}");
        }
    }

    private void token(HttpExchange exchange, String authorization, String form) throws IOException {
        if (authorization == null || !authorization.startsWith("Basic ") || !form.contains("client_credentials")) {
            StubHttpServers.json(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String[] credentials = new String(Base64.getDecoder().decode(authorization.substring(6)),
                StandardCharsets.UTF_8).split(":", 2);
        Client client = clients.get(credentials[0]);
        if (client == null || credentials.length < 2 || !client.secret().equals(credentials[1])) {
            StubHttpServers.json(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = TestTokens.forTenant(client.tenantId()).subject(client.clientId()).roles("admin")
                .scopes(client.scopes().toArray(String[]::new)).mint();
        StubHttpServers.json(exchange, 200, "{\"access_token\":\"" + token
                + "\",\"token_type\":\"Bearer\",\"expires_in\":900}");
    }

    private static JsonNode claims(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring(7).split("\\.");
        return JsonMapper.shared().readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8));
    }
}
