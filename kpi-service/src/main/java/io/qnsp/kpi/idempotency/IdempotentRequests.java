package io.qnsp.kpi.idempotency;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The request ids of each tenant with the first answer given to each. Every change is one conditional statement, so
 * any number of instances agree on who serves a request id: the one whose insert (or take-over of an expired or
 * abandoned claim) succeeded.
 */
@Repository
class IdempotentRequests {

    /** A stored first answer. */
    record Answer(int status, @Nullable String contentType, byte[] body) {
    }

    /** What a request finds for its id. */
    sealed interface Claim {
        /** The request is to be served; {@code claimedAt} identifies this claim when it completes. */
        record Granted(Instant claimedAt) implements Claim {
        }

        /** The same request was answered before: answer it again. */
        record Replay(Answer answer) implements Claim {
        }

        /** The id was used for another request. */
        record Mismatch() implements Claim {
        }

        /** The same request is being served right now. */
        record InProgress() implements Claim {
        }
    }

    private record Row(byte[] fingerprint, Instant claimedAt, @Nullable Integer status, @Nullable String contentType,
                       byte @Nullable [] body, Instant expiresAt) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    IdempotentRequests(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Claim claim(String tenant, String requestId, byte[] fingerprint, Instant now, Duration lease, Duration retention) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("tenant", tenant).addValue("id", requestId)
                .addValue("fingerprint", fingerprint).addValue("now", Timestamp.from(now))
                .addValue("expires", Timestamp.from(now.plus(retention)));
        // an expired or abandoned row can be taken over by several requests at once: the conditional update lets one
        // win, and a loser reads the row again
        for (int attempt = 0; attempt < 3; attempt++) {
            if (jdbc.update("INSERT INTO idempotent_request (tenant_id, request_id, fingerprint, claimed_at, "
                    + "expires_at) VALUES (:tenant, :id, :fingerprint, :now, :expires) ON CONFLICT DO NOTHING",
                    parameters) == 1) {
                return new Claim.Granted(now);
            }
            Row row = find(tenant, requestId);
            if (row == null) {
                continue;
            }
            boolean expired = !row.expiresAt().isAfter(now);
            boolean abandoned = row.status() == null && !row.claimedAt().plus(lease).isAfter(now);
            if (expired || (abandoned && Arrays.equals(row.fingerprint(), fingerprint))) {
                if (jdbc.update("UPDATE idempotent_request SET fingerprint = :fingerprint, claimed_at = :now, "
                                + "status = NULL, content_type = NULL, body = NULL, expires_at = :expires "
                                + "WHERE tenant_id = :tenant AND request_id = :id AND claimed_at = :previous",
                        parameters.addValue("previous", Timestamp.from(row.claimedAt()))) == 1) {
                    return new Claim.Granted(now);
                }
                continue;
            }
            if (!Arrays.equals(row.fingerprint(), fingerprint)) {
                return new Claim.Mismatch();
            }
            if (row.status() != null) {
                return new Claim.Replay(new Answer(row.status(), row.contentType(),
                        row.body() == null ? new byte[0] : row.body()));
            }
            return new Claim.InProgress();
        }
        return new Claim.InProgress();
    }

    /** Keeps the answer of a granted claim for {@code retention} from now. */
    void complete(String tenant, String requestId, Instant claimedAt, Answer answer, Instant now, Duration retention) {
        jdbc.update("UPDATE idempotent_request SET status = :status, content_type = :contentType, body = :body, "
                        + "expires_at = :expires WHERE tenant_id = :tenant AND request_id = :id "
                        + "AND claimed_at = :claimedAt AND status IS NULL",
                new MapSqlParameterSource("tenant", tenant).addValue("id", requestId)
                        .addValue("claimedAt", Timestamp.from(claimedAt)).addValue("status", answer.status())
                        .addValue("contentType", answer.contentType()).addValue("body", answer.body())
                        .addValue("expires", Timestamp.from(now.plus(retention))));
    }

    /** Gives a granted claim up: the request failed, and its id may be used again. */
    void release(String tenant, String requestId, Instant claimedAt) {
        jdbc.update("DELETE FROM idempotent_request WHERE tenant_id = :tenant AND request_id = :id "
                        + "AND claimed_at = :claimedAt AND status IS NULL",
                new MapSqlParameterSource("tenant", tenant).addValue("id", requestId)
                        .addValue("claimedAt", Timestamp.from(claimedAt)));
    }

    /** Deletes up to {@code batch} expired ids; answers how many. */
    int deleteExpired(Instant now, int batch) {
        return jdbc.update("DELETE FROM idempotent_request WHERE ctid IN (SELECT ctid FROM idempotent_request "
                        + "WHERE expires_at <= :now LIMIT :batch)",
                new MapSqlParameterSource("now", Timestamp.from(now)).addValue("batch", batch));
    }

    private @Nullable Row find(String tenant, String requestId) {
        List<Row> rows = jdbc.query("SELECT fingerprint, claimed_at, status, content_type, body, expires_at "
                        + "FROM idempotent_request WHERE tenant_id = :tenant AND request_id = :id",
                new MapSqlParameterSource("tenant", tenant).addValue("id", requestId),
                (rs, n) -> new Row(rs.getBytes("fingerprint"), rs.getTimestamp("claimed_at").toInstant(),
                        (Integer) rs.getObject("status"), rs.getString("content_type"), rs.getBytes("body"),
                        rs.getTimestamp("expires_at").toInstant()));
        return rows.isEmpty() ? null : rows.getFirst();
    }
}
