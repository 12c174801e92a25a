package io.qnsp.audit.webhook;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The {@code datahub_webhook} table. Only the delivery targets ({@link Target}) carry the sealed secret. */
@Repository
class Webhooks {

    /** What a delivery needs from a webhook: where, how to sign, which extra headers. */
    record Target(String url, byte[] sealedSecret, Map<String, String> headers) {

        @Override
        public String toString() {
            return "Target[url=" + url + ", headers=" + headers.keySet() + "]";
        }
    }

    private static final String COLUMNS = """
            webhook_id, tenant_id, name, url, events, headers::text AS headers, active, created_by, created_at,
            updated_at""";

    private static final TypeReference<TreeMap<String, String>> HEADERS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<Webhook> mapper;

    Webhooks(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.mapper = (rs, row) -> new Webhook(rs.getString("webhook_id"), rs.getString("tenant_id"),
                rs.getString("name"), rs.getString("url"), events(rs), headers(rs.getString("headers")),
                rs.getBoolean("active"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    void insert(Webhook webhook, byte[] sealedSecret) {
        jdbc.update("""
                        INSERT INTO datahub_webhook (webhook_id, tenant_id, name, url, events, headers, secret_sealed,
                                                     active, created_by, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)""",
                webhook.id(), webhook.tenantId(), webhook.name(), webhook.url(),
                webhook.events().toArray(String[]::new), json.writeValueAsString(webhook.headers()), sealedSecret,
                webhook.active(), webhook.createdBy(), Timestamp.from(webhook.createdAt()),
                Timestamp.from(webhook.updatedAt()));
    }

    /** Saves the webhook's changeable fields, and the secret when {@code sealedSecret} is not {@code null}. */
    void update(Webhook webhook, byte[] sealedSecret) {
        jdbc.update("""
                        UPDATE datahub_webhook SET name = ?, url = ?, events = ?, headers = ?::jsonb, active = ?,
                                                   updated_at = ?, secret_sealed = coalesce(?, secret_sealed)
                        WHERE webhook_id = ? AND tenant_id = ?""",
                webhook.name(), webhook.url(), webhook.events().toArray(String[]::new),
                json.writeValueAsString(webhook.headers()), webhook.active(), Timestamp.from(webhook.updatedAt()),
                sealedSecret, webhook.id(), webhook.tenantId());
    }

    Optional<Webhook> find(String tenantId, String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM datahub_webhook WHERE webhook_id = ? AND tenant_id = ?",
                mapper, id, tenantId).stream().findFirst();
    }

    /** The webhook, locked until the transaction ends (changes of one webhook do not interleave). */
    Optional<Webhook> findForUpdate(String tenantId, String id) {
        return jdbc.query("SELECT " + COLUMNS
                        + " FROM datahub_webhook WHERE webhook_id = ? AND tenant_id = ? FOR UPDATE",
                mapper, id, tenantId).stream().findFirst();
    }

    /** A page of the tenant's webhooks, newest first. */
    List<Webhook> page(String tenantId, int offset, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM datahub_webhook WHERE tenant_id = ?"
                + " ORDER BY created_at DESC, webhook_id DESC OFFSET ? LIMIT ?", mapper, tenantId, offset, limit);
    }

    long count(String tenantId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM datahub_webhook WHERE tenant_id = ?", Long.class,
                tenantId);
        return count == null ? 0 : count;
    }

    boolean delete(String tenantId, String id) {
        return jdbc.update("DELETE FROM datahub_webhook WHERE webhook_id = ? AND tenant_id = ?", id, tenantId) == 1;
    }

    /** Ids of the tenant's active webhooks subscribed to the event, or to every event. */
    List<String> subscribedTo(String tenantId, String event) {
        return jdbc.queryForList("""
                        SELECT webhook_id FROM datahub_webhook
                        WHERE tenant_id = ? AND active AND events && ?::text[] ORDER BY webhook_id""",
                String.class, tenantId, new String[]{event, WebhookEvents.ALL});
    }

    /** Where an active webhook's deliveries go; empty when it is gone or inactive. */
    Optional<Target> target(String id) {
        return jdbc.query("""
                        SELECT url, secret_sealed, headers::text AS headers FROM datahub_webhook
                        WHERE webhook_id = ? AND active""",
                (rs, row) -> new Target(rs.getString("url"), rs.getBytes("secret_sealed"),
                        headers(rs.getString("headers"))), id).stream().findFirst();
    }

    /** Where one of the tenant's webhooks sends, active or not (a test delivery). */
    Optional<Target> targetOf(String tenantId, String id) {
        return jdbc.query("""
                        SELECT url, secret_sealed, headers::text AS headers FROM datahub_webhook
                        WHERE webhook_id = ? AND tenant_id = ?""",
                (rs, row) -> new Target(rs.getString("url"), rs.getBytes("secret_sealed"),
                        headers(rs.getString("headers"))), id, tenantId).stream().findFirst();
    }

    private static List<String> events(ResultSet rs) throws SQLException {
        Array array = rs.getArray("events");
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }

    private Map<String, String> headers(String text) {
        return text == null || text.isBlank() ? Map.of() : json.readValue(text, HEADERS);
    }
}
