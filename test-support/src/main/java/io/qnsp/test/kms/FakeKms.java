package io.qnsp.test.kms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qnsp.test.infra.StubHttpServers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * kms-service and auth-service's token endpoint as common-lib's KMS client uses them, for the tests of a service that
 * encrypts with data keys: client credentials (any client id with {@link #CLIENT_SECRET}), key creation and listing,
 * data-key generation and decryption with the encryption context bound (AES-256-GCM under the fake's own key, so a
 * wrong context, tenant or service fails as at the real service). It can be taken down and brought back on the same
 * port, and counts what it was asked. The real kms-service is behind the services in the platform's black-box tests.
 * A service's tests point at it by registering {@link FakeKmsContextCustomizerFactory}.
 */
public final class FakeKms {

    /** The secret the fake accepts for every client id. */
    public static final String CLIENT_SECRET = "kms-client-test-secret";

    private static final FakeKms INSTANCE = new FakeKms();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SecureRandom random = new SecureRandom();
    private final byte[] masterKey = new byte[32];
    private final Map<String, UUID> keysByName = new ConcurrentHashMap<>();
    private final Map<String, Boolean> issuedTokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private final AtomicInteger generated = new AtomicInteger();
    private final AtomicInteger decrypted = new AtomicInteger();
    private volatile HttpServer server;
    private volatile int port;

    private FakeKms() {
        random.nextBytes(masterKey);
    }

    /** The one fake of the test JVM, started on first use. */
    public static synchronized FakeKms instance() {
        if (INSTANCE.server == null) {
            INSTANCE.up();
        }
        return INSTANCE;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    /** Stops answering: connections to its port are refused until {@link #up}. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Answers again, on the same port as before. */
    public synchronized void up() {
        if (server == null) {
            server = StubHttpServers.start(port, http -> {
                http.createContext("/oauth2/token", this::token);
                http.createContext("/kms/v1/", this::kms);
            });
            port = server.getAddress().getPort();
        }
    }

    /** Data keys generated so far, all tenants. */
    public int dataKeysGenerated() {
        return generated.get();
    }

    /** Data keys decrypted so far, all tenants. */
    public int dataKeysDecrypted() {
        return decrypted.get();
    }

    /** The id of the key kms-service holds under the name, if one was made. */
    public Optional<UUID> keyNamed(String name) {
        return Optional.ofNullable(keysByName.get(name));
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = StubHttpServers.body(exchange);
        if (!validClient(exchange.getRequestHeaders().getFirst("Authorization"))) {
            StubHttpServers.json(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        if (!form.contains("grant_type=client_credentials")) {
            StubHttpServers.json(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        String token = "fake-kms-token-" + tokens.incrementAndGet();
        issuedTokens.put(token, true);
        StubHttpServers.json(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300,\"scope\":\"kms:read kms:write kms:use\"}");
    }

    private static boolean validClient(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return false;
        }
        String[] credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return credentials.length == 2 && !credentials[0].isBlank() && credentials[1].equals(CLIENT_SECRET);
    }

    private void kms(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !issuedTokens.containsKey(authorization.substring(7))) {
            StubHttpServers.json(exchange, 401, "{\"statusCode\":401,\"error\":\"UNAUTHORIZED\"}");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        try {
            if (path.equals("/kms/v1/keys") && method.equals("POST")) {
                createKey(exchange);
            } else if (path.equals("/kms/v1/keys") && method.equals("GET")) {
                String keys = keysByName.entrySet().stream().map(e -> "{\"keyId\":\"" + e.getValue()
                        + "\",\"name\":\"" + e.getKey() + "\"}").collect(Collectors.joining(","));
                StubHttpServers.json(exchange, 200, "{\"keys\":[" + keys + "]}");
            } else if (path.endsWith("/generate-data-key") && method.equals("POST")) {
                generateDataKey(exchange, UUID.fromString(path.split("/")[4]));
            } else if (path.equals("/kms/v1/decrypt") && method.equals("POST")) {
                decrypt(exchange);
            } else {
                StubHttpServers.json(exchange, 404, "{\"statusCode\":404,\"error\":\"NOT_FOUND\"}");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            StubHttpServers.json(exchange, 400, "{\"statusCode\":400,\"error\":\"BAD_REQUEST\"}");
        }
    }

    private void createKey(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(StubHttpServers.body(exchange));
        String name = request.get("name").asString();
        UUID keyId = UUID.randomUUID();
        if (keysByName.putIfAbsent(name, keyId) != null) {
            StubHttpServers.json(exchange, 409, "{\"statusCode\":409,\"error\":\"CONFLICT\"}");
            return;
        }
        StubHttpServers.json(exchange, 201, "{\"keyId\":\"" + keyId + "\",\"name\":\"" + name + "\"}");
    }

    private void generateDataKey(HttpExchange exchange, UUID keyId) throws IOException, GeneralSecurityException {
        if (!keysByName.containsValue(keyId)) {
            StubHttpServers.json(exchange, 404, "{\"statusCode\":404,\"error\":\"NOT_FOUND\"}");
            return;
        }
        JsonNode request = JSON.readTree(StubHttpServers.body(exchange));
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, keyId, request.get("encryptionContext"));
        byte[] sealed = cipher.doFinal(dataKey);
        byte[] ciphertext = ByteBuffer.allocate(16 + 12 + sealed.length).putLong(keyId.getMostSignificantBits())
                .putLong(keyId.getLeastSignificantBits()).put(nonce).put(sealed).array();
        generated.incrementAndGet();
        StubHttpServers.json(exchange, 200, "{\"keyId\":\"" + keyId + "\",\"keyVersion\":1,\"plaintext\":\""
                + Base64.getEncoder().encodeToString(dataKey) + "\",\"ciphertext\":\""
                + Base64.getEncoder().encodeToString(ciphertext) + "\"}");
    }

    private void decrypt(HttpExchange exchange) throws IOException, GeneralSecurityException {
        JsonNode request = JSON.readTree(StubHttpServers.body(exchange));
        ByteBuffer ciphertext = ByteBuffer.wrap(Base64.getDecoder().decode(request.get("ciphertext").asString()));
        UUID keyId = new UUID(ciphertext.getLong(), ciphertext.getLong());
        byte[] nonce = new byte[12];
        ciphertext.get(nonce);
        byte[] sealed = new byte[ciphertext.remaining()];
        ciphertext.get(sealed);
        byte[] plaintext = cipher(Cipher.DECRYPT_MODE, nonce, keyId, request.get("encryptionContext"))
                .doFinal(sealed);
        decrypted.incrementAndGet();
        StubHttpServers.json(exchange, 200, "{\"keyId\":\"" + keyId + "\",\"keyVersion\":1,\"plaintext\":\""
                + Base64.getEncoder().encodeToString(plaintext) + "\"}");
    }

    private Cipher cipher(int mode, byte[] nonce, UUID keyId, JsonNode context) throws GeneralSecurityException {
        Map<String, String> sorted = new TreeMap<>();
        if (context != null) {
            context.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asString()));
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD((keyId + "\n" + sorted).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
