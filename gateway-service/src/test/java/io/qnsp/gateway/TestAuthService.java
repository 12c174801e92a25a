package io.qnsp.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qnsp.test.infra.StubHttpServers;
import io.qnsp.test.token.TestTokenIssuer;
import io.qnsp.test.token.TestTokens;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for auth-service on a loopback port, as the gateway sees it: the client-credentials token endpoint, the
 * JWKS of the {@link TestTokenIssuer}, and key verification with answers the test scripts (keys it issues, revokes,
 * deprecates) and calls it counts. It can be stopped and started again on the same port.
 */
public final class TestAuthService {

    public static final String CLIENT_ID = "gateway";
    public static final String CLIENT_SECRET = "gateway-test-secret";
    private static final String BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonMapper JSON = JsonMapper.shared();

    private static TestAuthService shared;

    /** A key it knows; {@code status} is what verification reports, {@code null} once it no longer verifies. */
    public record TestKey(String value, String keyId, String tenantId, long perMinute, long perHour, long perDay) {
        @Override
        public String toString() {
            return "TestKey[" + keyId + "]";
        }
    }

    private final String jwks;
    private final Map<String, TestKey> keys = new ConcurrentHashMap<>();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> verifyCalls = new ConcurrentHashMap<>();
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final AtomicInteger unauthorizedVerifications = new AtomicInteger();
    private volatile HttpServer server;
    private final int port;

    private TestAuthService() {
        this.jwks = fetch(TestTokenIssuer.shared().jwkSetUri());
        this.server = StubHttpServers.start(0, this::contexts);
        this.port = server.getAddress().getPort();
    }

    public static synchronized TestAuthService shared() {
        if (shared == null) {
            shared = new TestAuthService();
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A new active key of the tenant with the given limits per minute, hour and day. */
    public TestKey newKey(String tenantId, long perMinute, long perHour, long perDay) {
        StringBuilder random = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            random.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        TestKey key = new TestKey("dh_test_" + random, "key_" + UUID.randomUUID().toString().replace("-", ""),
                tenantId, perMinute, perHour, perDay);
        keys.put(key.value(), key);
        statuses.put(key.value(), "active");
        verifyCalls.put(key.value(), new AtomicInteger());
        return key;
    }

    /** From now on the key does not verify (revoked, expired, or past its deprecation). */
    public void refuse(TestKey key) {
        statuses.remove(key.value());
    }

    /** From now on the key verifies as {@code deprecated} (rotated, within its deprecation period). */
    public void deprecate(TestKey key) {
        statuses.put(key.value(), "deprecated");
    }

    /** Verification calls for this key value. */
    public int verifyCalls(TestKey key) {
        return verifyCalls.get(key.value()).get();
    }

    /** Verification calls for values it never issued. */
    public int verifyCallsForUnknownKeys() {
        return verifyCalls.computeIfAbsent("unknown", name -> new AtomicInteger()).get();
    }

    public int tokenCalls() {
        return tokenCalls.get();
    }

    /** Verification calls refused because the gateway's bearer token was missing or not one this stub issued. */
    public int unauthorizedVerifications() {
        return unauthorizedVerifications.get();
    }

    /** Stops answering: connections are refused until {@link #start()}. */
    public synchronized void stop() {
        server.stop(0);
    }

    /** Answers again on the same port. */
    public synchronized void start() {
        server = StubHttpServers.start(port, this::contexts);
    }

    private void contexts(HttpServer server) {
        server.createContext("/oauth2/jwks", exchange -> StubHttpServers.json(exchange, 200, jwks));
        server.createContext("/oauth2/token", this::token);
        server.createContext("/internal/v1/keys/verify", this::verify);
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenCalls.incrementAndGet();
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        String body = StubHttpServers.body(exchange);
        // HTTP Basic, or the credentials in the form (client_secret_post), as auth-service accepts them
        boolean form = body.contains("client_id=" + CLIENT_ID) && body.contains("client_secret=" + CLIENT_SECRET);
        if (!(expected.equals(exchange.getRequestHeaders().getFirst("Authorization")) || form)
                || !body.contains("grant_type=client_credentials")) {
            StubHttpServers.json(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = TestTokens.forTenant("platform").subject(CLIENT_ID).scopes("internal:keys:verify")
                .audience("qnsp").mint();
        issuedTokens.add(token);
        StubHttpServers.json(exchange, 200, JSON.writeValueAsString(Map.of("access_token", token,
                "token_type", "Bearer", "expires_in", 900)));
    }

    private void verify(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !issuedTokens.contains(authorization.substring(7))) {
            unauthorizedVerifications.incrementAndGet();
            StubHttpServers.json(exchange, 401, "{\"statusCode\":401,\"error\":\"UNAUTHORIZED\"}");
            return;
        }
        String apiKey = JSON.readTree(StubHttpServers.body(exchange)).path("apiKey").asString("");
        TestKey key = keys.get(apiKey);
        verifyCalls.computeIfAbsent(key == null ? "unknown" : apiKey, name -> new AtomicInteger()).incrementAndGet();
        String status = key == null ? null : statuses.get(apiKey);
        if (status == null) {
            StubHttpServers.json(exchange, 401, "{\"statusCode\":401,\"error\":\"INVALID_API_KEY\","
                    + "\"message\":\"The API key is invalid\"}");
            return;
        }
        Instant tokenExpiresAt = Instant.now().plus(Duration.ofMinutes(5));
        String accessToken = TestTokens.forTenant(key.tenantId()).subject(key.keyId()).scopes("read:requests")
                .claim("key_id", key.keyId()).audience("qnsp").expiresIn(Duration.ofMinutes(5)).mint();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("keyId", key.keyId());
        answer.put("tenantId", key.tenantId());
        answer.put("principal", key.keyId());
        answer.put("scopes", java.util.List.of("read:requests"));
        answer.put("rateLimit", Map.of("requestsPerMinute", key.perMinute(), "requestsPerHour", key.perHour(),
                "requestsPerDay", key.perDay()));
        answer.put("status", status);
        answer.put("expiresAt", null);
        answer.put("accessToken", accessToken);
        answer.put("accessTokenExpiresAt", tokenExpiresAt.toString());
        StubHttpServers.json(exchange, 200, JSON.writeValueAsString(answer));
    }

    private static String fetch(String uri) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
