package io.qnsp.vault.secret;

import io.qnsp.common.kms.Envelopes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The stored secrets, their versions and their audit logs, always read within one tenant. */
@Repository
class Secrets {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final int FINGERPRINTS_PER_QUERY = 500;

    private static final String SECRET_COLUMNS = "tenant_id, secret_id, latest_version, created_at, updated_at, "
            + "max_versions, delete_after, auto_destroy, retention_updated_at";
    private static final String VERSION_COLUMNS = "version_id, tenant_id, secret_id, version, state, ciphertext, "
            + "wrapped_key, fingerprint, metadata, created_at, created_by, state_changed_at";

    /** Counts of a tenant's secrets and versions. */
    record Counts(long secrets, long versions, long active, long deprecated, long destroyed) {
    }

    /** A secret's key, as the retention sweeper claims it. */
    record SecretKey(String tenantId, String secretId) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<Secret> secret;
    private final RowMapper<SecretVersion> version;
    private final RowMapper<SecretAuditEvent> event;

    Secrets(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.secret = (rs, row) -> new Secret(rs.getString("tenant_id"), rs.getString("secret_id"),
                rs.getInt("latest_version"), instant(rs, "created_at"), instant(rs, "updated_at"),
                new RetentionPolicy(rs.getObject("max_versions", Integer.class), rs.getString("delete_after"),
                        rs.getBoolean("auto_destroy")), nullableInstant(rs, "retention_updated_at"));
        this.version = (rs, row) -> {
            byte[] ciphertext = rs.getBytes("ciphertext");
            return new SecretVersion(rs.getObject("version_id", UUID.class), rs.getString("tenant_id"),
                    rs.getString("secret_id"), rs.getInt("version"),
                    VersionState.fromApiName(rs.getString("state")).orElseThrow(),
                    ciphertext == null ? null : new Envelopes.Sealed(ciphertext, rs.getString("wrapped_key")),
                    rs.getBytes("fingerprint"), json.readValue(rs.getString("metadata"), OBJECT),
                    instant(rs, "created_at"), rs.getString("created_by"), nullableInstant(rs, "state_changed_at"));
        };
        this.event = (rs, row) -> new SecretAuditEvent(rs.getObject("event_id", UUID.class),
                rs.getString("secret_id"), rs.getString("action"), rs.getInt("version"), rs.getString("actor"),
                instant(rs, "occurred_at"), rs.getString("reason"));
    }

    // ---- secrets ----

    /**
     * Hands out the secret's next version number, creating the secret at version 1 when it does not exist. The
     * secret's row stays locked until the transaction ends, so concurrent writers get consecutive numbers.
     */
    int nextVersion(String tenantId, String secretId, Instant now) {
        Integer next = jdbc.queryForObject("INSERT INTO versioned_secret (tenant_id, secret_id, latest_version, "
                        + "created_at, updated_at) VALUES (:tenant, :secret, 1, :now, :now) "
                        + "ON CONFLICT (tenant_id, secret_id) DO UPDATE "
                        + "SET latest_version = versioned_secret.latest_version + 1, updated_at = :now "
                        + "RETURNING latest_version",
                key(tenantId, secretId).addValue("now", Timestamp.from(now)), Integer.class);
        return next == null ? 1 : next;
    }

    Optional<Secret> find(String tenantId, String secretId, boolean forUpdate) {
        return jdbc.query("SELECT " + SECRET_COLUMNS + " FROM versioned_secret WHERE tenant_id = :tenant "
                + "AND secret_id = :secret" + (forUpdate ? " FOR UPDATE" : ""), key(tenantId, secretId), secret)
                .stream().findFirst();
    }

    boolean exists(String tenantId, String secretId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM versioned_secret "
                + "WHERE tenant_id = :tenant AND secret_id = :secret)", key(tenantId, secretId), Boolean.class));
    }

    void setRetention(String tenantId, String secretId, RetentionPolicy policy, Instant at) {
        jdbc.update("UPDATE versioned_secret SET max_versions = :max, delete_after = :after, "
                        + "auto_destroy = :autoDestroy, retention_updated_at = :at, retention_swept_at = NULL, "
                        + "updated_at = :at WHERE tenant_id = :tenant AND secret_id = :secret",
                key(tenantId, secretId).addValue("max", policy.maxVersions(), Types.INTEGER)
                        .addValue("after", policy.deleteAfter(), Types.VARCHAR)
                        .addValue("autoDestroy", policy.autoDestroy()).addValue("at", Timestamp.from(at)));
    }

    /**
     * Locks and answers up to {@code limit} secrets whose retention policy limits something and that were not
     * swept since {@code sweptBefore}, skipping those another transaction holds (another instance's sweep, a write).
     */
    List<SecretKey> claimDueForRetention(Instant sweptBefore, int limit) {
        return jdbc.query("SELECT tenant_id, secret_id FROM versioned_secret "
                        + "WHERE (max_versions IS NOT NULL OR delete_after IS NOT NULL) "
                        + "AND (retention_swept_at IS NULL OR retention_swept_at <= :before) "
                        + "ORDER BY retention_swept_at NULLS FIRST LIMIT :limit FOR UPDATE SKIP LOCKED",
                new MapSqlParameterSource("before", Timestamp.from(sweptBefore)).addValue("limit", limit),
                (rs, row) -> new SecretKey(rs.getString("tenant_id"), rs.getString("secret_id")));
    }

    void markSwept(String tenantId, String secretId, Instant at) {
        jdbc.update("UPDATE versioned_secret SET retention_swept_at = :at WHERE tenant_id = :tenant "
                + "AND secret_id = :secret", key(tenantId, secretId).addValue("at", Timestamp.from(at)));
    }

    /** One secret as the list shows it: its current version and how many versions its history holds. */
    record Listed(String secretId, int currentVersion, long versions, Instant createdAt, Instant updatedAt) {
    }

    /** A page of the tenant's secrets, ordered by id (the primary key's order). */
    List<Listed> page(String tenantId, int limit, int offset) {
        return jdbc.query("SELECT s.secret_id, s.latest_version, s.created_at, s.updated_at, "
                        + "(SELECT count(*) FROM secret_version v WHERE v.tenant_id = s.tenant_id "
                        + "AND v.secret_id = s.secret_id) AS versions "
                        + "FROM versioned_secret s WHERE s.tenant_id = :tenant ORDER BY s.secret_id "
                        + "LIMIT :limit OFFSET :offset",
                new MapSqlParameterSource("tenant", tenantId).addValue("limit", limit).addValue("offset", offset),
                (rs, row) -> new Listed(rs.getString("secret_id"), rs.getInt("latest_version"), rs.getLong("versions"),
                        instant(rs, "created_at"), instant(rs, "updated_at")));
    }

    Counts counts(String tenantId) {
        MapSqlParameterSource tenant = new MapSqlParameterSource("tenant", tenantId);
        Long secrets = jdbc.queryForObject("SELECT count(*) FROM versioned_secret WHERE tenant_id = :tenant",
                tenant, Long.class);
        return jdbc.queryForObject("SELECT count(*) AS versions, "
                + "count(*) FILTER (WHERE state = 'active') AS active, "
                + "count(*) FILTER (WHERE state = 'deprecated') AS deprecated, "
                + "count(*) FILTER (WHERE state = 'destroyed') AS destroyed "
                + "FROM secret_version WHERE tenant_id = :tenant", tenant, (rs, row) -> new Counts(
                secrets == null ? 0 : secrets, rs.getLong("versions"), rs.getLong("active"),
                rs.getLong("deprecated"), rs.getLong("destroyed")));
    }

    // ---- versions ----

    void insertVersion(SecretVersion v, String metadataJson) {
        Envelopes.Sealed sealed = v.sealed();
        jdbc.update("INSERT INTO secret_version (" + VERSION_COLUMNS + ") VALUES (:id, :tenant, :secret, :version, "
                        + ":state, :ciphertext, :wrappedKey, :fingerprint, CAST(:metadata AS JSONB), :createdAt, "
                        + ":createdBy, NULL)",
                key(v.tenantId(), v.secretId()).addValue("id", v.versionId()).addValue("version", v.version())
                        .addValue("state", v.state().apiName())
                        .addValue("ciphertext", sealed == null ? null : sealed.ciphertext(), Types.BINARY)
                        .addValue("wrappedKey", sealed == null ? null : sealed.wrappedKey(), Types.VARCHAR)
                        .addValue("fingerprint", v.fingerprint()).addValue("metadata", metadataJson)
                        .addValue("createdAt", Timestamp.from(v.createdAt())).addValue("createdBy", v.createdBy()));
    }

    Optional<SecretVersion> findVersion(String tenantId, String secretId, int number, boolean forUpdate) {
        return jdbc.query("SELECT " + VERSION_COLUMNS + " FROM secret_version WHERE tenant_id = :tenant "
                        + "AND secret_id = :secret AND version = :version" + (forUpdate ? " FOR UPDATE" : ""),
                key(tenantId, secretId).addValue("version", number), version).stream().findFirst();
    }

    /** The secret's versions, newest first. */
    List<SecretVersion> versions(String tenantId, String secretId) {
        return jdbc.query("SELECT " + VERSION_COLUMNS + " FROM secret_version WHERE tenant_id = :tenant "
                + "AND secret_id = :secret ORDER BY version DESC", key(tenantId, secretId), version);
    }

    /** Moves a version to a state; destroying it erases its ciphertext and wrapped key. */
    void changeState(UUID versionId, VersionState state, Instant at) {
        jdbc.update("UPDATE secret_version SET state = :state, state_changed_at = :at"
                        + (state == VersionState.DESTROYED ? ", ciphertext = NULL, wrapped_key = NULL" : "")
                        + " WHERE version_id = :id",
                new MapSqlParameterSource("id", versionId).addValue("state", state.apiName())
                        .addValue("at", Timestamp.from(at)));
    }

    void deleteVersion(UUID versionId) {
        jdbc.update("DELETE FROM secret_version WHERE version_id = :id", new MapSqlParameterSource("id", versionId));
    }

    /** The tenant's versions with one of the fingerprints, newest first per secret. */
    List<StoredSecrets.VersionMatch> findByFingerprints(String tenantId, Collection<byte[]> fingerprints) {
        List<byte[]> all = new ArrayList<>(fingerprints);
        List<StoredSecrets.VersionMatch> matches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += FINGERPRINTS_PER_QUERY) {
            List<byte[]> chunk = all.subList(from, Math.min(all.size(), from + FINGERPRINTS_PER_QUERY));
            matches.addAll(jdbc.query("SELECT v.secret_id, v.version, v.state, v.fingerprint, "
                            + "v.version = s.latest_version AS current FROM secret_version v "
                            + "JOIN versioned_secret s ON s.tenant_id = v.tenant_id AND s.secret_id = v.secret_id "
                            + "WHERE v.tenant_id = :tenant AND v.fingerprint IN (:fingerprints) "
                            + "ORDER BY v.secret_id, v.version DESC",
                    new MapSqlParameterSource("tenant", tenantId).addValue("fingerprints", chunk),
                    (rs, row) -> new StoredSecrets.VersionMatch(rs.getString("secret_id"), rs.getInt("version"),
                            rs.getString("state"), rs.getBoolean("current"), rs.getBytes("fingerprint"))));
        }
        if (all.size() > FINGERPRINTS_PER_QUERY) {
            matches.sort(Comparator.comparing(StoredSecrets.VersionMatch::secretId)
                    .thenComparing(StoredSecrets.VersionMatch::version, Comparator.reverseOrder()));
        }
        return matches;
    }

    // ---- audit log ----

    void insertEvent(String tenantId, SecretAuditEvent e) {
        jdbc.update("INSERT INTO secret_audit_event (event_id, tenant_id, secret_id, action, version, actor, "
                        + "occurred_at, reason) VALUES (:id, :tenant, :secret, :action, :version, :actor, :at, :reason)",
                key(tenantId, e.secretId()).addValue("id", e.eventId()).addValue("action", e.action())
                        .addValue("version", e.version()).addValue("actor", e.actor())
                        .addValue("at", Timestamp.from(e.timestamp())).addValue("reason", e.reason(), Types.VARCHAR));
    }

    /** The secret's newest {@code limit} events, newest first. */
    List<SecretAuditEvent> events(String tenantId, String secretId, int limit) {
        return jdbc.query("SELECT event_id, secret_id, action, version, actor, occurred_at, reason "
                        + "FROM secret_audit_event WHERE tenant_id = :tenant AND secret_id = :secret "
                        + "ORDER BY event_seq DESC LIMIT :limit",
                key(tenantId, secretId).addValue("limit", limit), event);
    }

    private static MapSqlParameterSource key(String tenantId, String secretId) {
        return new MapSqlParameterSource("tenant", tenantId).addValue("secret", secretId);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
