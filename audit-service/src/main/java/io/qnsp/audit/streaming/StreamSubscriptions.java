package io.qnsp.audit.streaming;

import io.qnsp.audit.events.AuditEventFilter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Streaming subscriptions in {@code stream_subscription}; every read by tenant is limited to that tenant. */
@Repository
class StreamSubscriptions {

    private static final String COLUMNS = """
            subscription_id, tenant_id, name, status, filters::text AS filters, destination_type,
            destination_config::text AS destination_config, created_at, updated_at""";
    // IS NOT DISTINCT FROM: the platform operator's subscriptions have no tenant
    private static final String OF_TENANT = "tenant_id IS NOT DISTINCT FROM ?";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<StreamSubscription> mapper;

    StreamSubscriptions(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.mapper = (rs, row) -> new StreamSubscription(rs.getString("subscription_id"), rs.getString("tenant_id"),
                rs.getString("name"), SubscriptionStatus.parse(rs.getString("status")).orElseThrow(),
                json.readValue(rs.getString("filters"), SubscriptionRequest.Filters.class),
                DestinationType.parse(rs.getString("destination_type")).orElseThrow(),
                json.readValue(rs.getString("destination_config"), MAP),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    void insert(StreamSubscription subscription, byte[] sealedSecrets) {
        jdbc.update("""
                        INSERT INTO stream_subscription (subscription_id, tenant_id, name, status, filters,
                                                         destination_type, destination_config, destination_secrets,
                                                         created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?)""",
                subscription.subscriptionId(), subscription.tenantId(), subscription.name(),
                subscription.status().label(), json.writeValueAsString(subscription.filters()),
                subscription.destinationType().label(), json.writeValueAsString(subscription.destinationConfig()),
                sealedSecrets, Timestamp.from(subscription.createdAt()), Timestamp.from(subscription.updatedAt()));
    }

    Optional<StreamSubscription> find(String tenantId, String subscriptionId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM stream_subscription WHERE subscription_id = ? AND "
                + OF_TENANT, mapper, subscriptionId, tenantId).stream().findFirst();
    }

    /** Newest first. */
    List<StreamSubscription> list(String tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM stream_subscription WHERE " + OF_TENANT
                + " ORDER BY created_at DESC, subscription_id DESC", mapper, tenantId);
    }

    long count(String tenantId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM stream_subscription WHERE " + OF_TENANT, Long.class,
                tenantId);
        return count == null ? 0 : count;
    }

    boolean exists(String subscriptionId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM stream_subscription WHERE subscription_id = ?",
                Long.class, subscriptionId);
        return count != null && count > 0;
    }

    void update(StreamSubscription subscription) {
        jdbc.update("""
                        UPDATE stream_subscription SET name = ?, status = ?, filters = ?::jsonb, updated_at = ?
                        WHERE subscription_id = ?""",
                subscription.name(), subscription.status().label(), json.writeValueAsString(subscription.filters()),
                Timestamp.from(subscription.updatedAt()), subscription.subscriptionId());
    }

    boolean delete(String tenantId, String subscriptionId) {
        return jdbc.update("DELETE FROM stream_subscription WHERE subscription_id = ? AND " + OF_TENANT,
                subscriptionId, tenantId) == 1;
    }

    /** What a delivery needs of an active subscription: its type and stored destination. */
    record ActiveDestination(DestinationType type, Map<String, Object> config, byte[] sealedSecrets) {
    }

    Optional<ActiveDestination> activeDestination(String subscriptionId) {
        return jdbc.query("""
                        SELECT destination_type, destination_config::text AS destination_config, destination_secrets
                        FROM stream_subscription WHERE subscription_id = ? AND status = 'active'""",
                (rs, n) -> new ActiveDestination(DestinationType.parse(rs.getString("destination_type")).orElseThrow(),
                        json.readValue(rs.getString("destination_config"), MAP), rs.getBytes("destination_secrets")),
                subscriptionId).stream().findFirst();
    }

    /** What the ingestion listener needs of a tenant's active subscriptions. */
    record Target(String subscriptionId, AuditEventFilter filter, DestinationType type) {
    }

    List<Target> activeTargets(String tenantId) {
        return jdbc.query("SELECT subscription_id, filters::text AS filters, destination_type FROM stream_subscription"
                        + " WHERE " + OF_TENANT + " AND status = 'active'",
                (rs, n) -> new Target(rs.getString("subscription_id"),
                        StreamSubscription.filter(json.readValue(rs.getString("filters"),
                                SubscriptionRequest.Filters.class)),
                        DestinationType.parse(rs.getString("destination_type")).orElseThrow()),
                tenantId);
    }
}
