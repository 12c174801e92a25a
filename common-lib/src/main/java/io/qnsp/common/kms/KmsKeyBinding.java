package io.qnsp.common.kms;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.UUID;

/** Which KMS key the service's data keys are generated under, remembered in {@code qnsp_kms_key} so it is made once. */
final class KmsKeyBinding {

    private final JdbcTemplate jdbc;

    KmsKeyBinding(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Nullable UUID find(String keyName) {
        List<UUID> found = jdbc.queryForList("SELECT key_id FROM " + KmsKeySchema.TABLE + " WHERE key_name = ?",
                UUID.class, keyName);
        return found.isEmpty() ? null : found.getFirst();
    }

    /** The key recorded for the name: the one given, or the one another instance recorded first. */
    UUID record(String keyName, UUID keyId) {
        jdbc.update("INSERT INTO " + KmsKeySchema.TABLE + " (key_name, key_id, recorded_at) VALUES (?, ?, now()) "
                + "ON CONFLICT (key_name) DO NOTHING", keyName, keyId);
        UUID recorded = find(keyName);
        if (recorded == null) {
            throw new IllegalStateException("the KMS key recorded for " + keyName + " vanished");
        }
        return recorded;
    }

    void forget(String keyName, UUID keyId) {
        jdbc.update("DELETE FROM " + KmsKeySchema.TABLE + " WHERE key_name = ? AND key_id = ?", keyName, keyId);
    }
}
