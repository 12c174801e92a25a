package io.qnsp.access.decision;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.access.policy.AccessRequest;
import io.qnsp.access.policy.Decision;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The decision log: every run-time check is queued in memory and written to the database in batches off the request
 * path, so a check waits for no database round trip. A full queue drops the entry from the log (counted in
 * {@code access.decision_log.dropped}), never the check; entries still queued when the instance stops are written on
 * shutdown. Each instance writes only its own entries.
 */
@Component
public class DecisionLog {

    private static final Logger log = LoggerFactory.getLogger(DecisionLog.class);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** A decision waiting to be written. */
    record Entry(String tenantId, AccessRequest request, Decision decision, Instant decidedAt) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final DecisionSettings settings;
    private final BlockingQueue<Entry> queue;
    private final ReentrantLock writing = new ReentrantLock();
    private final Counter dropped;
    private final TransactionTemplate ownTransaction;

    DecisionLog(NamedParameterJdbcTemplate jdbc, JsonMapper json, Clock clock, DecisionSettings settings,
                MeterRegistry meters, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        // a flush called from within another transaction (impact analysis) must not be rolled back with it
        this.ownTransaction = new TransactionTemplate(transactions);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.logQueueCapacity());
        this.dropped = Counter.builder("access.decision_log.dropped")
                .description("decisions left out of the decision log because its queue was full").register(meters);
    }

    void record(String tenantId, AccessRequest request, Decision decision, Instant decidedAt) {
        if (!queue.offer(new Entry(tenantId, request, decision, decidedAt))) {
            dropped.increment();
            log.warn("decision log queue full ({}): a decision of tenant {} is not logged",
                    settings.logQueueCapacity(), tenantId);
        }
    }

    /** Writes every queued decision; answers how many. Callers (impact analysis) flush before reading the log. */
    @Scheduled(fixedDelayString = "${qnsp.access.decisions.log-flush-interval:250ms}")
    public int flush() {
        writing.lock();
        try {
            int written = 0;
            List<Entry> batch = new ArrayList<>(settings.logBatchSize());
            while (queue.drainTo(batch, settings.logBatchSize()) > 0) {
                try {
                    ownTransaction.executeWithoutResult(status -> write(batch));
                    written += batch.size();
                } catch (RuntimeException e) {
                    log.error("could not write {} decision(s) to the decision log", batch.size(), e);
                }
                batch.clear();
            }
            return written;
        } finally {
            writing.unlock();
        }
    }

    @PreDestroy
    void flushOnShutdown() {
        flush();
    }

    /** Removes the decisions older than the retention period. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    @Transactional
    public int removeExpired() {
        return jdbc.update("DELETE FROM access_decision WHERE decided_at < :before",
                new MapSqlParameterSource("before", Timestamp.from(clock.instant().minus(settings.logRetention()))));
    }

    /**
     * The distinct requests the tenant's decision log holds (principal with groups, resource with attributes, action,
     * environment, and the moment named if any), at most {@code limit} of them.
     */
    public List<AccessRequest> knownRequests(String tenantId, int limit) {
        return jdbc.query("SELECT DISTINCT principal_type, principal_id, principal_groups, resource_type, resource_id, "
                        + "resource_attributes, action, environment, requested_time FROM access_decision "
                        + "WHERE tenant_id = :tenant ORDER BY principal_type, principal_id, resource_type, resource_id, "
                        + "action LIMIT :limit", new MapSqlParameterSource("tenant", tenantId).addValue("limit", limit),
                (rs, row) -> new AccessRequest(new AccessRequest.Principal(rs.getString("principal_type"),
                        rs.getString("principal_id"), json.readValue(rs.getString("principal_groups"), STRINGS)),
                        new AccessRequest.Resource(rs.getString("resource_type"), rs.getString("resource_id"),
                                json.readValue(rs.getString("resource_attributes"), OBJECT)),
                        rs.getString("action"), json.readValue(rs.getString("environment"), OBJECT),
                        rs.getTimestamp("requested_time") == null ? null
                                : rs.getTimestamp("requested_time").toInstant()));
    }

    private void write(List<Entry> batch) {
        MapSqlParameterSource[] rows = new MapSqlParameterSource[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Entry entry = batch.get(i);
            AccessRequest request = entry.request();
            rows[i] = new MapSqlParameterSource("tenant", entry.tenantId())
                    .addValue("principalType", request.principal().type())
                    .addValue("principalId", request.principal().id())
                    .addValue("groups", json.writeValueAsString(request.principal().groups()))
                    .addValue("resourceType", request.resource().type())
                    .addValue("resourceId", request.resource().id())
                    .addValue("attributes", json.writeValueAsString(request.resource().attributes()))
                    .addValue("action", request.action())
                    .addValue("environment", json.writeValueAsString(request.environment()))
                    .addValue("requestedTime", request.timestamp() == null ? null
                            : Timestamp.from(request.timestamp()), Types.TIMESTAMP)
                    .addValue("decision", entry.decision().decision().apiName())
                    .addValue("policies", json.writeValueAsString(entry.decision().effectivePolicies()))
                    .addValue("decidedAt", Timestamp.from(entry.decidedAt()));
        }
        jdbc.batchUpdate("INSERT INTO access_decision (tenant_id, principal_type, principal_id, principal_groups, "
                + "resource_type, resource_id, resource_attributes, action, environment, requested_time, decision, "
                + "policies, decided_at) VALUES (:tenant, :principalType, :principalId, CAST(:groups AS jsonb), "
                + ":resourceType, :resourceId, CAST(:attributes AS jsonb), :action, CAST(:environment AS jsonb), "
                + ":requestedTime, :decision, CAST(:policies AS jsonb), :decidedAt)", rows);
    }
}
