package io.qnsp.kms.byohsm;

import io.qnsp.common.crypto.SecretBox;
import io.qnsp.common.error.InvalidField;
import io.qnsp.kms.KmsSettings;
import io.qnsp.common.web.PathIds;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * BYOHSM: registers a tenant's PKCS#11 tokens (library from the operator's allow-list, slot, PIN sealed at rest),
 * validates them by logging in, generates keys inside them and runs wrap, unwrap, sign and verify there, logging every
 * call into a token with its latency and outcome.
 */
@Service
public class HsmManagement {

    private static final Logger log = LoggerFactory.getLogger(HsmManagement.class);

    public static final List<String> PROVIDERS = List.of("thales", "safenet", "aws_cloudhsm", "azure_managed_hsm",
            "google_cloud_hsm");
    public static final List<String> CREDENTIAL_TYPES = List.of("certificate", "api_key", "managed_identity");
    public static final List<String> KEY_TYPES = List.of("aes", "rsa", "ec", "pqc");
    public static final List<String> PURPOSES = List.of("encrypt", "decrypt", "sign", "verify");
    static final int MAX_KEY_TO_WRAP = 1024;
    static final int MAX_DATA = 64 * 1024;
    static final int MAX_OPERATIONS = 1000;

    /** How to reach the token; the PIN and the credentials are sealed before they are stored. */
    public record HsmConnectionConfig(@Nullable String endpoint, @Nullable Integer port, @Nullable String library,
                                   @Nullable Long slot, @Nullable Integer slotListIndex, @Nullable String pin,
                                   @Nullable HsmCredentials credentials) {

        @Override
        public String toString() {
            return "HsmConnectionConfig[endpoint=" + endpoint + ", port=" + port + ", library=" + library + ", slot="
                    + slot + ", slotListIndex=" + slotListIndex + ", pin=***, credentials=" + credentials + "]";
        }
    }

    public record HsmCredentials(@Nullable String type, @Nullable Map<String, Object> data) {

        @Override
        public String toString() {
            return "HsmCredentials[type=" + type + ", data=***]";
        }
    }

    public record Validation(UUID connectionId, boolean valid, Instant validatedAt, boolean connectivity,
                             boolean authentication, List<String> capabilities, List<String> errors) {
    }

    public record NewKey(@Nullable String connectionId, @Nullable String keyType, @Nullable Integer keySize,
                         @Nullable String algorithm, @Nullable List<String> purpose, @Nullable String name,
                         @Nullable String description) {
    }

    private final HsmConnections connections;
    private final HsmKeys keys;
    private final HsmTokens tokens;
    private final List<String> allowedLibraries;
    private final String masterKey;
    private final JsonMapper json;
    private final TransactionTemplate separately;
    private final Clock clock = Clock.systemUTC();

    HsmManagement(HsmConnections connections, HsmKeys keys, HsmTokens tokens, KmsSettings settings, JsonMapper json,
                  PlatformTransactionManager transactions) {
        this.connections = connections;
        this.keys = keys;
        this.tokens = tokens;
        this.allowedLibraries = List.copyOf(settings.hsmLibraries());
        this.masterKey = settings.masterKey();
        this.json = json;
        this.separately = new TransactionTemplate(transactions);
        // an operation's record stays even when the request fails and its transaction rolls back
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    // ---- connections ----

    public HsmConnection register(String tenant, @Nullable String name, @Nullable String provider,
                                  @Nullable HsmConnectionConfig config, @Nullable Map<String, Object> metadata) {
        InvalidField.Problems problems = new InvalidField.Problems();
        checkName(problems, name);
        if (provider == null || !PROVIDERS.contains(provider)) {
            problems.add("provider", "must be one of " + String.join(", ", PROVIDERS));
        }
        if (config == null) {
            problems.add("connectionConfig", "is required: library, slot or slotListIndex, and pin");
        } else {
            checkConfig(problems, config, true);
        }
        problems.throwIfAny();
        Instant now = now();
        UUID id = UUID.randomUUID();
        HsmConnection connection = new HsmConnection(id, tenant, name.strip(), provider, "pending_validation",
                config.endpoint(), config.port(), config.library(), config.slot(),
                config.slot() == null ? config.slotListIndex() : null, box(id, "pin").seal(config.pin()),
                config.credentials() == null ? null : config.credentials().type(),
                sealCredentials(id, config.credentials()), metadata(metadata), null, now, now);
        connections.insert(connection);
        log.info("HSM connection {} registered for tenant {} (library {})", id, tenant, config.library());
        return connection;
    }

    public List<HsmConnection> list(String tenant) {
        return connections.list(tenant);
    }

    public HsmConnection connection(String tenant, String connectionId) {
        return connections.find(tenant, PathIds.parse(connectionId, HsmConnectionNotFound::new))
                .orElseThrow(HsmConnectionNotFound::new);
    }

    public HealthMetrics health(HsmConnection connection) {
        return connections.health(connection.connectionId());
    }

    public HsmConnection update(String tenant, String connectionId, @Nullable String name,
                                @Nullable HsmConnectionConfig config, @Nullable Map<String, Object> metadata) {
        HsmConnection current = connection(tenant, connectionId);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (name != null) {
            checkName(problems, name);
        }
        if (config != null) {
            checkConfig(problems, config, false);
        }
        problems.throwIfAny();
        UUID id = current.connectionId();
        boolean reconfigured = config != null && (config.library() != null || config.slot() != null
                || config.slotListIndex() != null || config.pin() != null);
        Long slot = current.slot();
        Integer slotIndex = current.slotListIndex();
        if (config != null && config.slot() != null) {
            slot = config.slot();
            slotIndex = null;
        } else if (config != null && config.slotListIndex() != null) {
            slot = null;
            slotIndex = config.slotListIndex();
        }
        HsmConnection updated = new HsmConnection(id, tenant, name == null ? current.name() : name.strip(),
                current.provider(), reconfigured ? "pending_validation" : current.status(),
                config != null && config.endpoint() != null ? config.endpoint() : current.endpoint(),
                config != null && config.port() != null ? config.port() : current.port(),
                config != null && config.library() != null ? config.library() : current.library(), slot, slotIndex,
                config != null && config.pin() != null ? box(id, "pin").seal(config.pin()) : current.sealedPin(),
                config != null && config.credentials() != null ? config.credentials().type()
                        : current.credentialsType(),
                config != null && config.credentials() != null ? sealCredentials(id, config.credentials())
                        : current.sealedCredentials(),
                metadata != null ? metadata(metadata) : current.metadata(), current.lastHealthCheckAt(),
                current.createdAt(), now());
        connections.update(updated);
        if (reconfigured) {
            tokens.forget(id);
        }
        return updated;
    }

    public void delete(String tenant, String connectionId) {
        HsmConnection connection = connection(tenant, connectionId);
        connections.delete(tenant, connection.connectionId());
        tokens.forget(connection.connectionId());
        log.info("HSM connection {} of tenant {} deleted", connection.connectionId(), tenant);
    }

    /** Opens a fresh session on the token and logs in; what failed is reported, not thrown. */
    public Validation validate(String tenant, String connectionId) {
        HsmConnection connection = connection(tenant, connectionId);
        long start = System.nanoTime();
        boolean connectivity = false;
        boolean authentication = false;
        List<String> capabilities = List.of();
        List<String> errors = new ArrayList<>();
        try {
            HsmTokens.Session session = tokens.reopen(target(connection));
            connectivity = true;
            authentication = true;
            capabilities = List.copyOf(session.capabilities());
        } catch (HsmTokens.TokenFailure failure) {
            connectivity = failure.stage.equals("login");
            errors.add(failure.getMessage());
        }
        boolean valid = errors.isEmpty();
        record(connection, "validate", null, start, valid ? null : errors.getFirst());
        Instant now = now();
        connections.update(new HsmConnection(connection.connectionId(), tenant, connection.name(),
                connection.provider(), valid ? "active" : "error", connection.endpoint(), connection.port(),
                connection.library(), connection.slot(), connection.slotListIndex(), connection.sealedPin(),
                connection.credentialsType(), connection.sealedCredentials(), connection.metadata(), now,
                connection.createdAt(), connection.updatedAt()));
        if (!valid) {
            log.info("HSM connection {} failed validation: {}", connection.connectionId(), errors);
        }
        return new Validation(connection.connectionId(), valid, now, connectivity, authentication, capabilities,
                errors);
    }

    public List<HsmOperation> operations(String tenant, String connectionId, int limit) {
        return connections.operations(connection(tenant, connectionId).connectionId(), limit);
    }

    // ---- keys ----

    public HsmKey createKey(String tenant, NewKey request) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.connectionId() == null) {
            problems.add("connectionId", "is required");
        } else {
            problems.uuid(request.connectionId(), "connectionId");
        }
        if (request.keyType() == null || !KEY_TYPES.contains(request.keyType())) {
            problems.add("keyType", "must be one of " + String.join(", ", KEY_TYPES));
        }
        Set<String> purpose = new LinkedHashSet<>();
        if (request.purpose() == null || request.purpose().isEmpty()) {
            problems.add("purpose", "must name at least one of " + String.join(", ", PURPOSES));
        } else {
            for (String p : request.purpose()) {
                if (!PURPOSES.contains(p)) {
                    problems.add("purpose", "must hold only " + String.join(", ", PURPOSES));
                    break;
                }
                purpose.add(p);
            }
        }
        if (request.name() != null && (request.name().isBlank() || request.name().length() > 128)) {
            problems.add("metadata.name", "must be 1 to 128 characters");
        }
        problems.throwIfAny();
        boolean signing = purpose.contains("sign") || purpose.contains("verify");
        boolean encrypting = purpose.contains("encrypt") || purpose.contains("decrypt");
        String keyType = request.keyType();
        int size;
        String algorithm;
        String generator;
        switch (keyType) {
            case "aes" -> {
                size = sized(request.keySize(), 256, List.of(128, 192, 256));
                if (signing) {
                    throw new InvalidField("purpose", "an aes key only encrypts and decrypts (wraps and unwraps)");
                }
                algorithm = algorithm(request.algorithm(), "AES-GCM", List.of("AES-GCM", "AES-KWP"));
                generator = "KeyGenerator.AES";
            }
            case "rsa" -> {
                size = sized(request.keySize(), 3072, List.of(2048, 3072, 4096));
                if (signing && encrypting) {
                    throw new InvalidField("purpose", "an rsa key either signs and verifies or encrypts and "
                            + "decrypts, not both");
                }
                algorithm = signing ? algorithm(request.algorithm(), "RSASSA-PSS", List.of("RSASSA-PSS"))
                        : algorithm(request.algorithm(), "RSA-OAEP", List.of("RSA-OAEP"));
                generator = "KeyPairGenerator.RSA";
            }
            case "ec" -> {
                size = sized(request.keySize(), 256, List.of(256, 384));
                if (encrypting) {
                    throw new InvalidField("purpose", "an ec key only signs and verifies");
                }
                algorithm = algorithm(request.algorithm(), "SHA256withECDSA", List.of("SHA256withECDSA"));
                generator = "KeyPairGenerator.EC";
            }
            default -> {
                size = request.keySize() == null ? 0 : request.keySize();
                algorithm = request.algorithm() == null ? "ML-DSA" : request.algorithm();
                generator = null;
            }
        }
        HsmConnection connection = connection(tenant, request.connectionId());
        UUID keyId = UUID.randomUUID();
        String alias = "qnsp-" + keyId;
        HsmTokens.Session session = session(connection, "create_key", keyId);
        Set<String> capabilities = session.capabilities();
        if (generator == null) {
            throw new InvalidField("keyType", "pqc: the token offers no post-quantum mechanism through PKCS#11",
                    Map.of("capabilities", List.copyOf(capabilities)));
        }
        for (String needed : List.of(generator, HsmTokens.REQUIRED_SERVICE.get(algorithm))) {
            if (!capabilities.contains(needed)) {
                throw new InvalidField(needed.equals(generator) ? "keyType" : "algorithm", algorithm
                        + " needs " + needed + ", which the token does not offer",
                        Map.of("capabilities", List.copyOf(capabilities)));
            }
        }
        int bits = size;
        byte[] publicKey = inToken(connection, "create_key", keyId, () -> {
            if (keyType.equals("aes")) {
                tokens.generateSecretKey(session, alias, bits);
                return null;
            }
            return tokens.generateKeyPair(session, alias, keyType, bits);
        });
        HsmKey key = new HsmKey(keyId, connection.connectionId(), tenant, keyType, size, algorithm,
                List.copyOf(purpose), alias, request.name(), request.description(), publicKey, now());
        keys.insert(key);
        log.info("HSM key {} ({} {}) generated in connection {}", keyId, keyType, size, connection.connectionId());
        return key;
    }

    public List<HsmKey> keys(String tenant) {
        return keys.list(tenant);
    }

    public record Wrapped(HsmKey key, byte[] wrappedKey) {
    }

    public Wrapped wrap(String tenant, @Nullable String wrappingKeyId, @Nullable String keyToWrap,
                        @Nullable String algorithm) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID keyId = keyId(problems, "wrappingKeyId", wrappingKeyId);
        byte[] material = base64(problems, "keyToWrap", keyToWrap, MAX_KEY_TO_WRAP);
        problems.throwIfAny();
        HsmKey key = usable(tenant, keyId, "wrappingKeyId", "encrypt", algorithm);
        HsmConnection connection = connections.find(tenant, key.connectionId()).orElseThrow(HsmKeyNotFound::new);
        HsmTokens.Session session = session(connection, "wrap", keyId);
        return new Wrapped(key, inToken(connection, "wrap", keyId,
                () -> tokens.wrap(session, key.alias(), key.algorithm(), keyId, material)));
    }

    public byte[] unwrap(String tenant, @Nullable String unwrappingKeyId, @Nullable String wrappedKey,
                         @Nullable String algorithm) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID keyId = keyId(problems, "unwrappingKeyId", unwrappingKeyId);
        byte[] wrapped = base64(problems, "wrappedKey", wrappedKey, MAX_KEY_TO_WRAP + 1024);
        problems.throwIfAny();
        HsmKey key = usable(tenant, keyId, "unwrappingKeyId", "decrypt", algorithm);
        HsmConnection connection = connections.find(tenant, key.connectionId()).orElseThrow(HsmKeyNotFound::new);
        HsmTokens.Session session = session(connection, "unwrap", keyId);
        return inToken(connection, "unwrap", keyId,
                () -> tokens.unwrap(session, key.alias(), key.algorithm(), keyId, wrapped));
    }

    public record Signed(HsmKey key, byte[] signature) {
    }

    public Signed sign(String tenant, @Nullable String keyIdText, @Nullable String data, @Nullable String algorithm) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID keyId = keyId(problems, "keyId", keyIdText);
        byte[] message = base64(problems, "data", data, MAX_DATA);
        problems.throwIfAny();
        HsmKey key = usable(tenant, keyId, "keyId", "sign", algorithm);
        HsmConnection connection = connections.find(tenant, key.connectionId()).orElseThrow(HsmKeyNotFound::new);
        HsmTokens.Session session = session(connection, "sign", keyId);
        return new Signed(key, inToken(connection, "sign", keyId,
                () -> tokens.sign(session, key.alias(), key.algorithm(), message)));
    }

    public boolean verify(String tenant, @Nullable String keyIdText, @Nullable String data,
                          @Nullable String signature, @Nullable String algorithm) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID keyId = keyId(problems, "keyId", keyIdText);
        byte[] message = base64(problems, "data", data, MAX_DATA);
        byte[] signatureBytes = base64(problems, "signature", signature, 8192);
        problems.throwIfAny();
        HsmKey key = usable(tenant, keyId, "keyId", "verify", algorithm);
        HsmConnection connection = connections.find(tenant, key.connectionId()).orElseThrow(HsmKeyNotFound::new);
        HsmTokens.Session session = session(connection, "verify", keyId);
        return inToken(connection, "verify", keyId,
                () -> tokens.verify(session, key.alias(), key.algorithm(), message, signatureBytes));
    }

    // ---- the token calls, timed and logged ----

    @FunctionalInterface
    interface TokenCall<T> {
        T run() throws Exception;
    }

    private HsmTokens.Session session(HsmConnection connection, String type, UUID keyId) {
        long start = System.nanoTime();
        try {
            return tokens.session(target(connection));
        } catch (HsmTokens.TokenFailure failure) {
            record(connection, type, keyId, start, failure.getMessage());
            throw new HsmUnavailable(failure.stage, HsmTokens.reason(failure).replaceFirst("^\\w+ failed: ", ""));
        }
    }

    private <T> T inToken(HsmConnection connection, String type, @Nullable UUID keyId, TokenCall<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.run();
            record(connection, type, keyId, start, null);
            return result;
        } catch (InvalidField refused) {
            record(connection, type, keyId, start, refused.getMessage());
            throw refused;
        } catch (HsmTokens.TokenFailure failure) {
            record(connection, type, keyId, start, failure.getMessage());
            throw new HsmUnavailable(failure.stage, failure.getMessage());
        } catch (Exception e) {
            String reason = HsmTokens.reason(e);
            record(connection, type, keyId, start, reason);
            log.warn("HSM {} on connection {} failed: {}", type, connection.connectionId(), reason);
            throw new HsmUnavailable("operation", reason);
        }
    }

    private void record(HsmConnection connection, String type, @Nullable UUID keyId, long startNanos,
                        @Nullable String error) {
        double latencyMs = (System.nanoTime() - startNanos) / 1_000_000.0;
        HsmOperation operation = new HsmOperation(UUID.randomUUID(), connection.connectionId(), type, keyId,
                error == null ? "success" : "failure", latencyMs, error, now());
        separately.executeWithoutResult(status -> connections.record(operation));
    }

    private HsmTokens.Target target(HsmConnection connection) {
        return new HsmTokens.Target(connection.connectionId(), connection.updatedAt(), connection.library(),
                connection.slot(), connection.slotListIndex(),
                box(connection.connectionId(), "pin").openString(connection.sealedPin()).toCharArray());
    }

    // ---- rules ----

    private HsmKey usable(String tenant, UUID keyId, String field, String purpose, @Nullable String algorithm) {
        HsmKey key = keys.find(tenant, keyId).orElseThrow(HsmKeyNotFound::new);
        if (!key.purpose().contains(purpose)) {
            throw new InvalidField(field, "the key's purpose is " + String.join(", ", key.purpose())
                    + ", not " + purpose);
        }
        if (algorithm != null && !algorithm.equals(key.algorithm())) {
            throw new InvalidField("algorithm", "must be the key's algorithm, " + key.algorithm());
        }
        return key;
    }

    private static void checkName(InvalidField.Problems problems, @Nullable String name) {
        if (name == null || name.isBlank() || name.length() > 128) {
            problems.add("name", "must be 1 to 128 characters");
        }
    }

    private void checkConfig(InvalidField.Problems problems, HsmConnectionConfig config, boolean creating) {
        if (creating || config.library() != null) {
            if (config.library() == null || !allowedLibraries.contains(config.library())) {
                problems.add("connectionConfig.library", allowedLibraries.isEmpty()
                        ? "is not allowed: the operator lists no PKCS#11 library (qnsp.kms.hsm-libraries)"
                        : "must be one of the PKCS#11 libraries the operator allows: "
                        + String.join(", ", allowedLibraries));
            }
        }
        if (creating && config.slot() == null && config.slotListIndex() == null) {
            problems.add("connectionConfig.slot", "is required (or connectionConfig.slotListIndex)");
        }
        if (config.slot() != null && config.slot() < 0) {
            problems.add("connectionConfig.slot", "must not be negative");
        }
        if (config.slotListIndex() != null && config.slotListIndex() < 0) {
            problems.add("connectionConfig.slotListIndex", "must not be negative");
        }
        if ((creating || config.pin() != null) && (config.pin() == null || config.pin().isEmpty()
                || config.pin().length() > 256)) {
            problems.add("connectionConfig.pin", "is required, 1 to 256 characters");
        }
        if (config.port() != null && (config.port() < 1 || config.port() > 65535)) {
            problems.add("connectionConfig.port", "must be between 1 and 65535");
        }
        if (config.endpoint() != null && config.endpoint().length() > 512) {
            problems.add("connectionConfig.endpoint", "must be at most 512 characters");
        }
        if (config.credentials() != null && (config.credentials().type() == null
                || !CREDENTIAL_TYPES.contains(config.credentials().type()))) {
            problems.add("connectionConfig.credentials.type", "must be one of " + String.join(", ",
                    CREDENTIAL_TYPES));
        }
    }

    private static int sized(@Nullable Integer size, int fallback, List<Integer> allowed) {
        int chosen = size == null ? fallback : size;
        if (!allowed.contains(chosen)) {
            throw new InvalidField("keySize", "must be one of " + allowed);
        }
        return chosen;
    }

    private static String algorithm(@Nullable String requested, String fallback, List<String> allowed) {
        String chosen = requested == null ? fallback : requested;
        if (!allowed.contains(chosen)) {
            throw new InvalidField("algorithm", "must be one of " + String.join(", ", allowed)
                    + " for this key type and purpose");
        }
        return chosen;
    }

    private static @Nullable UUID keyId(InvalidField.Problems problems, String field, @Nullable String value) {
        if (value == null) {
            problems.add(field, "is required");
            return null;
        }
        return problems.uuid(value, field);
    }

    private static byte @Nullable [] base64(InvalidField.Problems problems, String field, @Nullable String value,
                                            int max) {
        if (value == null || value.isEmpty()) {
            problems.add(field, "is required (base64)");
            return null;
        }
        byte[] bytes = problems.base64(value, field);
        if (bytes != null && (bytes.length == 0 || bytes.length > max)) {
            problems.add(field, "must be 1 to " + max + " bytes");
        }
        return bytes;
    }

    private @Nullable String metadata(@Nullable Map<String, Object> metadata) {
        return metadata == null ? null : json.writeValueAsString(metadata);
    }

    private byte @Nullable [] sealCredentials(UUID id, @Nullable HsmCredentials credentials) {
        if (credentials == null || credentials.data() == null) {
            return null;
        }
        return box(id, "credentials").seal(json.writeValueAsString(credentials.data()));
    }

    private SecretBox box(UUID connectionId, String what) {
        return SecretBox.fromBase64Key(masterKey, "qnsp.kms.master-key",
                "qnsp-kms-hsm/" + connectionId + "/" + what);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
