package io.qnsp.kms.key;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The stored keys and their versions, always read within one tenant. */
@Repository
class Keys {

    private static final String COLUMNS = "key_id, tenant_id, name, description, algorithm, usage, state, "
            + "current_version, deletion_date, created_at, updated_at, rotated_at";

    private final NamedParameterJdbcTemplate jdbc;

    Keys(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws KeyNameTaken when the tenant has a live key of that name */
    void insert(Key key) {
        try {
            jdbc.update("INSERT INTO kms_key (" + COLUMNS + ") VALUES (:id, :tenant, :name, :description, :algorithm, "
                    + ":usage, :state, :version, :deletionDate, :createdAt, :updatedAt, :rotatedAt)", values(key));
        } catch (DuplicateKeyException e) {
            throw new KeyNameTaken();
        }
    }

    void update(Key key) {
        jdbc.update("UPDATE kms_key SET description = :description, state = :state, current_version = :version, "
                + "algorithm = :algorithm, usage = :usage, "
                + "deletion_date = :deletionDate, updated_at = :updatedAt, rotated_at = :rotatedAt "
                + "WHERE key_id = :id AND tenant_id = :tenant", values(key));
    }

    void insertVersion(KeyVersion version) {
        jdbc.update("INSERT INTO kms_key_version (key_id, version, algorithm, wrapped_material, public_key, origin, "
                        + "created_at) VALUES (:id, :version, :algorithm, :material, :publicKey, :origin, :createdAt)",
                new MapSqlParameterSource().addValue("id", version.keyId()).addValue("version", version.version())
                        .addValue("algorithm", version.algorithm().apiName())
                        .addValue("material", version.wrappedMaterial())
                        .addValue("publicKey", version.publicKey(), Types.BINARY)
                        .addValue("origin", version.origin())
                        .addValue("createdAt", Timestamp.from(version.createdAt())));
    }

    /** A key of the tenant that still exists (a deleted key is not found). */
    Optional<Key> find(String tenantId, UUID keyId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM kms_key WHERE tenant_id = :tenant AND key_id = :id "
                        + "AND state <> 'deleted'", new MapSqlParameterSource("tenant", tenantId).addValue("id", keyId),
                KEY).stream().findFirst();
    }

    /** The same, locked until the transaction ends: state changes and rotations of one key happen one at a time. */
    Optional<Key> findForUpdate(String tenantId, UUID keyId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM kms_key WHERE tenant_id = :tenant AND key_id = :id "
                        + "AND state <> 'deleted' FOR UPDATE",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", keyId), KEY).stream().findFirst();
    }

    /** The tenant's keys that still exist, oldest first, optionally of one state and algorithm. */
    List<Key> list(String tenantId, @Nullable KeyState state, @Nullable KeyAlgorithm algorithm, int limit, int offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM kms_key WHERE tenant_id = :tenant AND state <> 'deleted' "
                        + "AND (CAST(:state AS TEXT) IS NULL OR state = :state) "
                        + "AND (CAST(:algorithm AS TEXT) IS NULL OR algorithm = :algorithm) "
                        + "ORDER BY created_at, key_id LIMIT :limit OFFSET :offset",
                filter(tenantId, state, algorithm).addValue("limit", limit).addValue("offset", offset), KEY);
    }

    long count(String tenantId, @Nullable KeyState state, @Nullable KeyAlgorithm algorithm) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM kms_key WHERE tenant_id = :tenant "
                + "AND state <> 'deleted' AND (CAST(:state AS TEXT) IS NULL OR state = :state) "
                + "AND (CAST(:algorithm AS TEXT) IS NULL OR algorithm = :algorithm)",
                filter(tenantId, state, algorithm), Long.class);
        return count == null ? 0 : count;
    }

    /** Every key of the tenant that still exists, oldest first: the inventory the reports are computed from. */
    List<Key> all(String tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM kms_key WHERE tenant_id = :tenant AND state <> 'deleted' "
                + "ORDER BY created_at, key_id", new MapSqlParameterSource("tenant", tenantId), KEY);
    }

    /** The versions of every key of the tenant that still exists, without their material, by key, in one query. */
    Map<UUID, List<KeyManagement.VersionInfo>> versionInfos(String tenantId) {
        Map<UUID, List<KeyManagement.VersionInfo>> byKey = new HashMap<>();
        jdbc.query("SELECT v.key_id, v.version, v.algorithm, v.origin, v.created_at FROM kms_key_version v "
                + "JOIN kms_key k ON k.key_id = v.key_id WHERE k.tenant_id = :tenant AND k.state <> 'deleted' "
                + "ORDER BY v.key_id, v.version", new MapSqlParameterSource("tenant", tenantId), row -> {
            byKey.computeIfAbsent(row.getObject("key_id", UUID.class), id -> new ArrayList<>())
                    .add(new KeyManagement.VersionInfo(row.getInt("version"),
                            KeyAlgorithm.fromApiName(row.getString("algorithm")), row.getString("origin"),
                            row.getTimestamp("created_at").toInstant()));
        });
        return byKey;
    }

    List<KeyVersion> versions(UUID keyId) {
        return jdbc.query("SELECT key_id, version, algorithm, wrapped_material, public_key, origin, created_at "
                + "FROM kms_key_version WHERE key_id = :id ORDER BY version", new MapSqlParameterSource("id", keyId),
                VERSION);
    }

    Optional<KeyVersion> version(UUID keyId, int version) {
        return jdbc.query("SELECT key_id, version, algorithm, wrapped_material, public_key, origin, created_at "
                        + "FROM kms_key_version WHERE key_id = :id AND version = :version",
                new MapSqlParameterSource("id", keyId).addValue("version", version), VERSION).stream().findFirst();
    }

    /**
     * Destroys the material of every key whose deletion date has come: the versions go, the key row stays as
     * {@code deleted} so that its past operations still name it.
     *
     * @return how many keys were destroyed
     */
    int destroyDue(Instant now) {
        MapSqlParameterSource due = new MapSqlParameterSource("now", Timestamp.from(now));
        jdbc.update("DELETE FROM kms_key_version WHERE key_id IN (SELECT key_id FROM kms_key "
                + "WHERE state = 'pending_deletion' AND deletion_date <= :now)", due);
        return jdbc.update("UPDATE kms_key SET state = 'deleted', updated_at = :now "
                + "WHERE state = 'pending_deletion' AND deletion_date <= :now", due);
    }

    private static MapSqlParameterSource filter(String tenantId, @Nullable KeyState state,
                                                @Nullable KeyAlgorithm algorithm) {
        return new MapSqlParameterSource("tenant", tenantId)
                .addValue("state", state == null ? null : state.apiName(), Types.VARCHAR)
                .addValue("algorithm", algorithm == null ? null : algorithm.apiName(), Types.VARCHAR);
    }

    private static MapSqlParameterSource values(Key key) {
        return new MapSqlParameterSource().addValue("id", key.keyId()).addValue("tenant", key.tenantId())
                .addValue("name", key.name()).addValue("description", key.description(), Types.VARCHAR)
                .addValue("algorithm", key.algorithm().apiName()).addValue("usage", key.usage().apiName())
                .addValue("state", key.state().apiName()).addValue("version", key.currentVersion())
                .addValue("deletionDate", timestamp(key.deletionDate()), Types.TIMESTAMP)
                .addValue("createdAt", Timestamp.from(key.createdAt()))
                .addValue("updatedAt", Timestamp.from(key.updatedAt()))
                .addValue("rotatedAt", timestamp(key.rotatedAt()), Types.TIMESTAMP);
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static final RowMapper<Key> KEY = (rs, row) -> new Key(rs.getObject("key_id", UUID.class),
            rs.getString("tenant_id"), rs.getString("name"), rs.getString("description"),
            KeyAlgorithm.fromApiName(rs.getString("algorithm")), KeyUsage.fromApiName(rs.getString("usage")),
            KeyState.fromApiName(rs.getString("state")), rs.getInt("current_version"),
            instant(rs.getTimestamp("deletion_date")), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("updated_at").toInstant(), instant(rs.getTimestamp("rotated_at")));

    private static final RowMapper<KeyVersion> VERSION = (rs, row) -> new KeyVersion(rs.getObject("key_id", UUID.class),
            rs.getInt("version"), KeyAlgorithm.fromApiName(rs.getString("algorithm")), rs.getBytes("wrapped_material"), rs.getBytes("public_key"), rs.getString("origin"),
            rs.getTimestamp("created_at").toInstant());
}
