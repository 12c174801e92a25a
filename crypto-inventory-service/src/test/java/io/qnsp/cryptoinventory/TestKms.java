package io.qnsp.cryptoinventory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qnsp.test.infra.StubHttpServers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * kms-service's key, crypto-agility and BYOHSM reads, and auth-service's JWK set, as the inventory reads them: keys
 * per tenant (the tenant taken from the caller's relayed token, which must be present), migration readiness and the
 * quantum risk table by the rules docs/kms-crypto-agility.md states. The real kms-service is behind the platform's
 * black-box test of the readiness score.
 */
public final class TestKms {

    /** kms-service's quantum risk table today (docs/kms-crypto-agility.md). */
    static final Map<String, String> RISKS = Map.of("AES-256-GCM", "low", "AES-128", "medium", "RSA-3072", "high",
            "EC-P256", "high", "ML-KEM-768", "low", "ML-DSA-65", "low");
    private static final Set<String> RESISTANT = Set.of("AES-256-GCM", "ML-KEM-768", "ML-DSA-65");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestKms INSTANCE = new TestKms();

    /** A key: its versions' algorithms, oldest first; the last is the current one. */
    public record Key(String keyId, String name, String usage, String state, List<String> versions,
                      Instant createdAt, Instant rotatedAt) {

        String algorithm() {
            return versions.getLast();
        }
    }

    public record Connection(String connectionId, String name, String status) {
    }

    private final Map<String, List<Key>> keys = new ConcurrentHashMap<>();
    private final Map<String, List<Connection>> connections = new ConcurrentHashMap<>();
    private final List<String> signingJwks = new CopyOnWriteArrayList<>();
    private final List<String> seenTokens = new CopyOnWriteArrayList<>();
    private final int port;

    private TestKms() {
        HttpServer server = StubHttpServers.start(0, http -> {
            http.createContext("/kms/v1/keys", this::keys);
            http.createContext("/kms/v1/crypto-agility/migration-readiness", this::readiness);
            http.createContext("/kms/v1/crypto-agility/risk-assessment", this::risk);
            http.createContext("/kms/v1/byohsm/connections", this::connections);
            http.createContext("/oauth2/jwks", e -> StubHttpServers.json(e, 200,
                    "{\"keys\":[" + String.join(",", signingJwks) + "]}"));
        });
        port = server.getAddress().getPort();
    }

    public static TestKms instance() {
        return INSTANCE;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public String jwksUri() {
        return url() + "/oauth2/jwks";
    }

    /** Adds a key to the tenant, enabled, with one version per algorithm given (the last is current). */
    public Key addKey(String tenant, String name, String usage, String... versions) {
        return addKeyInState(tenant, name, usage, "enabled", versions);
    }

    /** Adds a key to the tenant in the state given ({@code enabled}, {@code disabled}, {@code pending_deletion}). */
    public Key addKeyInState(String tenant, String name, String usage, String state, String... versions) {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        Key key = new Key(UUID.randomUUID().toString(), name, usage, state, List.of(versions), created,
                versions.length > 1 ? created.plusSeconds(86_400) : null);
        keys.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>()).add(key);
        return key;
    }

    /** Rotates the key to a new version with the algorithm. */
    public void rotate(String tenant, String keyId, String algorithm) {
        List<Key> list = keys.get(tenant);
        for (int i = 0; i < list.size(); i++) {
            Key k = list.get(i);
            if (k.keyId().equals(keyId)) {
                List<String> versions = new ArrayList<>(k.versions());
                versions.add(algorithm);
                list.set(i, new Key(k.keyId(), k.name(), k.usage(), k.state(), versions, k.createdAt(),
                        Instant.parse("2026-06-01T00:00:00Z")));
            }
        }
    }

    public void addConnection(String tenant, String name, String status) {
        connections.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>())
                .add(new Connection(UUID.randomUUID().toString(), name, status));
    }

    /** The platform's signing keys: one RSA key whose modulus has the bit length given. */
    public void signingKeyRsa(String kid, int bits) {
        byte[] modulus = new byte[bits / 8];
        modulus[0] = (byte) 0x80;
        modulus[modulus.length - 1] = 1;
        signingJwks.clear();
        signingJwks.add("{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"e\":\"AQAB\",\"n\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(modulus) + "\"}");
    }

    /** Every bearer token kms-service was called with. */
    public List<String> seenTokens() {
        return seenTokens;
    }

    private String tenant(HttpExchange e) throws IOException {
        String authorization = e.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            StubHttpServers.json(e, 401, "{\"statusCode\":401,\"error\":\"unauthorized\"}");
            return null;
        }
        String token = authorization.substring(7);
        seenTokens.add(token);
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8));
        return claims.get("tenant_id").asString();
    }

    private List<Key> keysOf(String tenant) {
        return keys.getOrDefault(tenant, List.of());
    }

    private void keys(HttpExchange e) throws IOException {
        String tenant = tenant(e);
        if (tenant == null) {
            return;
        }
        String path = e.getRequestURI().getPath();
        if (path.equals("/kms/v1/keys")) {
            String query = e.getRequestURI().getQuery();
            int offset = Integer.parseInt(query.replaceAll(".*offset=(\\d+).*", "$1"));
            int limit = Integer.parseInt(query.replaceAll(".*limit=(\\d+).*", "$1"));
            List<Key> all = keysOf(tenant);
            ArrayNode page = JSON.createArrayNode();
            all.stream().skip(offset).limit(limit).forEach(k -> page.add(JSON.createObjectNode()
                    .put("keyId", k.keyId()).put("name", k.name()).put("algorithm", k.algorithm())));
            ObjectNode body = JSON.createObjectNode();
            body.set("keys", page);
            body.put("total", all.size());
            StubHttpServers.json(e, 200, body.toString());
            return;
        }
        String id = path.substring("/kms/v1/keys/".length());
        Key key = keysOf(tenant).stream().filter(k -> k.keyId().equals(id)).findFirst().orElse(null);
        if (key == null) {
            StubHttpServers.json(e, 404, "{\"statusCode\":404,\"error\":\"KEY_NOT_FOUND\"}");
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("keyId", key.keyId()).put("name", key.name())
                .put("algorithm", key.algorithm()).put("usage", key.usage()).put("state", key.state())
                .put("currentVersion", key.versions().size()).put("createdAt", key.createdAt().toString());
        body.put("rotatedAt", key.rotatedAt() == null ? null : key.rotatedAt().toString());
        ArrayNode versions = body.putArray("versions");
        for (int v = 0; v < key.versions().size(); v++) {
            versions.add(JSON.createObjectNode().put("version", v + 1).put("algorithm", key.versions().get(v))
                    .put("origin", "generated").put("createdAt", key.createdAt().toString()));
        }
        StubHttpServers.json(e, 200, body.toString());
    }

    private void readiness(HttpExchange e) throws IOException {
        String tenant = tenant(e);
        if (tenant == null) {
            return;
        }
        List<Key> all = keysOf(tenant);
        long migrated = all.stream().filter(k -> RESISTANT.contains(k.algorithm())).count();
        long pending = all.stream().filter(k -> !RESISTANT.contains(k.algorithm()) && k.state().equals("enabled"))
                .count();
        double score = all.isEmpty() ? 100.0 : BigDecimal.valueOf(100.0 * migrated / all.size())
                .setScale(1, RoundingMode.HALF_UP).doubleValue();
        ObjectNode body = JSON.createObjectNode().put("overallScore", score);
        body.putArray("categories");
        body.set("keyMigrationStatus", JSON.createObjectNode().put("total", all.size()).put("migrated", migrated)
                .put("pendingMigration", pending).put("blocked", all.size() - migrated - pending));
        StubHttpServers.json(e, 200, body.toString());
    }

    private void risk(HttpExchange e) throws IOException {
        if (tenant(e) == null) {
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("overallRisk", "high");
        ArrayNode rows = body.putArray("algorithms");
        RISKS.forEach((algorithm, risk) -> rows.add(JSON.createObjectNode().put("algorithm", algorithm)
                .put("quantumRisk", risk)));
        StubHttpServers.json(e, 200, body.toString());
    }

    private void connections(HttpExchange e) throws IOException {
        String tenant = tenant(e);
        if (tenant == null) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("connections");
        connections.getOrDefault(tenant, List.of()).forEach(c -> list.add(JSON.createObjectNode()
                .put("connectionId", c.connectionId()).put("name", c.name()).put("provider", "softhsm")
                .put("status", c.status())));
        StubHttpServers.json(e, 200, body.toString());
    }
}
