package io.qnsp.vault.envelope;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.UUID;

/** Which KMS key the vault's data keys are generated under, remembered so it is made once. */
@Repository
class KmsKeyBinding {

    private final JdbcClient jdbc;

    KmsKeyBinding(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Nullable UUID find(String keyName) {
        return jdbc.sql("SELECT key_id FROM vault_kms_key WHERE key_name = ?").param(keyName).query(UUID.class)
                .optional().orElse(null);
    }

    /** The key recorded for the name: the one given, or the one another instance recorded first. */
    UUID record(String keyName, UUID keyId) {
        jdbc.sql("INSERT INTO vault_kms_key (key_name, key_id, recorded_at) VALUES (?, ?, now()) "
                + "ON CONFLICT (key_name) DO NOTHING").params(keyName, keyId).update();
        return find(keyName);
    }

    void forget(String keyName, UUID keyId) {
        jdbc.sql("DELETE FROM vault_kms_key WHERE key_name = ? AND key_id = ?").params(keyName, keyId).update();
    }
}
