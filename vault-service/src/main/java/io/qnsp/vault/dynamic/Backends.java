package io.qnsp.vault.dynamic;

import io.qnsp.common.kms.Envelopes;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The backends by type, and the sealing of a config's connection: sealed to the config id, opened only to use it. */
@Component
class Backends {

    /** What is sealed: the accepted parts of the connection string and the administrative account. */
    private record Stored(String type, String host, int port, String database, Map<String, String> options,
                          String username, String password) {

        @Override
        public String toString() {
            return "Stored[type=" + type + ", host=" + host + ", username=***, password=***]";
        }
    }

    private final Map<BackendType, DatabaseBackend> backends = new EnumMap<>(BackendType.class);
    private final Envelopes envelopes;
    private final JsonMapper json;

    Backends(List<DatabaseBackend> all, Envelopes envelopes, JsonMapper json) {
        all.forEach(backend -> backends.put(backend.type(), backend));
        this.envelopes = envelopes;
        this.json = json;
    }

    DatabaseBackend of(BackendType type) {
        DatabaseBackend backend = backends.get(type);
        if (backend == null) {
            throw new IllegalStateException("no backend for " + type);
        }
        return backend;
    }

    /** @throws io.qnsp.common.kms.DependencyDown when kms-service is needed and cannot answer */
    Envelopes.Sealed seal(String tenantId, UUID configId, BackendConnection connection) {
        byte[] plain = json.writeValueAsBytes(new Stored(connection.type().value(), connection.host(),
                connection.port(), connection.database(), connection.options(), connection.username(),
                connection.password()));
        try {
            return envelopes.seal(tenantId, DynamicSecretConfig.sealingContext(configId), plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** @throws io.qnsp.common.kms.DependencyDown when kms-service is needed and cannot answer */
    BackendConnection open(DynamicSecretConfig config) {
        byte[] plain = envelopes.open(config.tenantId(), DynamicSecretConfig.sealingContext(config.configId()),
                config.sealedBackend());
        try {
            Stored stored = json.readValue(new String(plain, StandardCharsets.UTF_8), Stored.class);
            return new BackendConnection(BackendType.of(stored.type()), stored.host(), stored.port(),
                    stored.database(), stored.options(), stored.username(), stored.password());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
