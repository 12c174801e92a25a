package io.qnsp.vault.dynamic;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The stored leases. Revocation goes through a claim: one committed conditional update gives a lease to one worker
 * (a revoke request or a sweeper of any instance) until {@code claimed_until}; only the holder of its
 * {@code claim_token} records the outcome. So an account is dropped by one worker at a time, and a lease whose
 * worker died is taken up again once the claim has run out.
 */
@Repository
class Leases {

    private static final String COLUMNS = "lease_id, tenant_id, config_id, username, state, purpose, requested_by, "
            + "created_by, created_at, expires_at, max_expires_at, revocation_reason, revocation_requested_at, "
            + "revoked_at, revoke_attempts, next_attempt_at, last_error, claim_token";
    private static final RowMapper<Lease> LEASE = (rs, row) -> new Lease(rs.getObject("lease_id", UUID.class),
            rs.getString("tenant_id"), rs.getObject("config_id", UUID.class), rs.getString("username"),
            rs.getString("state"), rs.getString("purpose"), rs.getString("requested_by"), rs.getString("created_by"),
            instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("expires_at")),
            instant(rs.getTimestamp("max_expires_at")), rs.getString("revocation_reason"),
            instant(rs.getTimestamp("revocation_requested_at")), instant(rs.getTimestamp("revoked_at")),
            rs.getInt("revoke_attempts"), instant(rs.getTimestamp("next_attempt_at")), rs.getString("last_error"),
            rs.getObject("claim_token", UUID.class));

    private final NamedParameterJdbcTemplate jdbc;

    Leases(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Lease l) {
        jdbc.update("INSERT INTO dynamic_secret_lease (lease_id, tenant_id, config_id, username, state, purpose, "
                        + "requested_by, created_by, created_at, expires_at, max_expires_at) VALUES (:id, :tenant, "
                        + ":config, :username, :state, :purpose, :requestedBy, :createdBy, :createdAt, :expiresAt, "
                        + ":maxExpiresAt)",
                new MapSqlParameterSource("id", l.leaseId()).addValue("tenant", l.tenantId())
                        .addValue("config", l.configId()).addValue("username", l.username())
                        .addValue("state", l.state()).addValue("purpose", l.purpose(), Types.VARCHAR)
                        .addValue("requestedBy", l.requestedBy(), Types.VARCHAR).addValue("createdBy", l.createdBy())
                        .addValue("createdAt", Timestamp.from(l.createdAt()))
                        .addValue("expiresAt", Timestamp.from(l.expiresAt()))
                        .addValue("maxExpiresAt", Timestamp.from(l.maxExpiresAt())));
    }

    void delete(UUID leaseId) {
        jdbc.update("DELETE FROM dynamic_secret_lease WHERE lease_id = :id", new MapSqlParameterSource("id", leaseId));
    }

    Optional<Lease> find(String tenantId, UUID leaseId, boolean forUpdate) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dynamic_secret_lease WHERE tenant_id = :tenant "
                        + "AND lease_id = :id" + (forUpdate ? " FOR UPDATE" : ""),
                new MapSqlParameterSource("tenant", tenantId).addValue("id", leaseId), LEASE).stream().findFirst();
    }

    /** The config's leases, newest first. */
    List<Lease> list(String tenantId, UUID configId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dynamic_secret_lease WHERE tenant_id = :tenant "
                        + "AND config_id = :config ORDER BY created_at DESC, lease_id",
                new MapSqlParameterSource("tenant", tenantId).addValue("config", configId), LEASE);
    }

    void extend(UUID leaseId, Instant expiresAt) {
        jdbc.update("UPDATE dynamic_secret_lease SET expires_at = :expiresAt WHERE lease_id = :id",
                new MapSqlParameterSource("id", leaseId).addValue("expiresAt", Timestamp.from(expiresAt)));
    }

    /**
     * Claims one lease for revocation on request: it is active, or its revocation waits for a retry, and no worker
     * holds it. Empty when it is not there to claim (another worker holds it, or it is done).
     */
    Optional<Lease> claim(String tenantId, UUID leaseId, UUID token, Instant now, Instant until) {
        return jdbc.query("UPDATE dynamic_secret_lease SET state = 'revoking', revocation_reason = 'manual', "
                        + "revocation_requested_at = COALESCE(revocation_requested_at, :now), claim_token = :token, "
                        + "claimed_until = :until WHERE tenant_id = :tenant AND lease_id = :id "
                        + "AND state IN ('active', 'revoking') AND (claimed_until IS NULL OR claimed_until <= :now) "
                        + "RETURNING " + COLUMNS,
                new MapSqlParameterSource("tenant", tenantId).addValue("id", leaseId).addValue("token", token)
                        .addValue("now", Timestamp.from(now)).addValue("until", Timestamp.from(until)), LEASE)
                .stream().findFirst();
    }

    /**
     * Claims up to {@code batch} leases that are due: expired and still active, or with a revocation whose retry is
     * due (or whose worker's claim ran out). Rows another transaction holds are skipped, so sweepers of several
     * instances share the work without waiting on each other.
     */
    List<Lease> claimDue(UUID token, Instant now, Instant until, int batch) {
        return jdbc.query("UPDATE dynamic_secret_lease SET state = 'revoking', "
                        + "revocation_reason = COALESCE(revocation_reason, 'expiry'), "
                        + "revocation_requested_at = COALESCE(revocation_requested_at, :now), claim_token = :token, "
                        + "claimed_until = :until WHERE lease_id IN (SELECT lease_id FROM dynamic_secret_lease "
                        + "WHERE ((state = 'active' AND expires_at <= :now) OR (state = 'revoking' "
                        + "AND (next_attempt_at IS NULL OR next_attempt_at <= :now))) "
                        + "AND (claimed_until IS NULL OR claimed_until <= :now) "
                        + "ORDER BY expires_at LIMIT :batch FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS,
                new MapSqlParameterSource("token", token).addValue("now", Timestamp.from(now))
                        .addValue("until", Timestamp.from(until)).addValue("batch", batch), LEASE);
    }

    /** Records the account dropped; false when the claim was no longer this worker's. */
    Optional<Lease> revoked(UUID leaseId, UUID token, Instant now) {
        return jdbc.query("UPDATE dynamic_secret_lease SET state = CASE WHEN revocation_reason = 'manual' "
                        + "THEN 'revoked' ELSE 'expired' END, revoked_at = :now, "
                        + "revoke_attempts = revoke_attempts + 1, next_attempt_at = NULL, last_error = NULL, "
                        + "claim_token = NULL, claimed_until = NULL WHERE lease_id = :id AND claim_token = :token "
                        + "RETURNING " + COLUMNS,
                new MapSqlParameterSource("id", leaseId).addValue("token", token)
                        .addValue("now", Timestamp.from(now)), LEASE).stream().findFirst();
    }

    /** Records a failed attempt and when to try again; the lease is free for the next worker then. */
    Optional<Lease> attemptFailed(UUID leaseId, UUID token, String error, Instant nextAttemptAt) {
        return jdbc.query("UPDATE dynamic_secret_lease SET revoke_attempts = revoke_attempts + 1, "
                        + "next_attempt_at = :next, last_error = :error, claim_token = NULL, claimed_until = NULL "
                        + "WHERE lease_id = :id AND claim_token = :token RETURNING " + COLUMNS,
                new MapSqlParameterSource("id", leaseId).addValue("token", token).addValue("error", error)
                        .addValue("next", Timestamp.from(nextAttemptAt)), LEASE).stream().findFirst();
    }

    /**
     * A lease whose account could not be made and could not be cleaned up either: it is handed to the sweeper,
     * as expired now, so that the account is dropped if it exists.
     */
    void abandon(UUID leaseId, Instant now, String error) {
        jdbc.update("UPDATE dynamic_secret_lease SET state = 'revoking', revocation_reason = 'expiry', "
                        + "revocation_requested_at = :now, expires_at = :now, next_attempt_at = :now, "
                        + "last_error = :error WHERE lease_id = :id",
                new MapSqlParameterSource("id", leaseId).addValue("now", Timestamp.from(now)).addValue("error", error));
    }

    /** The tenant's leases by API status at {@code now}. */
    record Counts(long active, long expired, long revoked) {
    }

    Counts counts(String tenantId, Instant now) {
        return jdbc.queryForObject("SELECT "
                        + "count(*) FILTER (WHERE state IN ('active', 'revoking') AND expires_at > :now) AS active, "
                        + "count(*) FILTER (WHERE state = 'expired' OR (state IN ('active', 'revoking') "
                        + "AND expires_at <= :now)) AS expired, "
                        + "count(*) FILTER (WHERE state = 'revoked') AS revoked "
                        + "FROM dynamic_secret_lease WHERE tenant_id = :tenant",
                new MapSqlParameterSource("tenant", tenantId).addValue("now", Timestamp.from(now)),
                (rs, row) -> new Counts(rs.getLong("active"), rs.getLong("expired"), rs.getLong("revoked")));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
