package io.qnsp.search.health;

import io.qnsp.search.index.Indices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Maintenance windows: scheduled by a tenant, run when due by whichever instance claims them first
 * ({@code FOR UPDATE SKIP LOCKED}), each statement limited by PostgreSQL's {@code statement_timeout} to what is left
 * of the window.
 */
@Service
public class MaintenanceWindows {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceWindows.class);

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final Clock clock;

    MaintenanceWindows(JdbcClient jdbc, JdbcTemplate template, Clock clock) {
        this.jdbc = jdbc;
        this.template = template;
        this.clock = clock;
    }

    public MaintenanceWindow schedule(String tenantId, List<String> indexNames, String type, Instant scheduledAt,
                                      Duration duration) {
        MaintenanceWindow window = new MaintenanceWindow(UUID.randomUUID(), tenantId, List.copyOf(indexNames), type,
                scheduledAt, duration, MaintenanceWindow.SCHEDULED, null, null, null, clock.instant());
        jdbc.sql("INSERT INTO maintenance_window (window_id, tenant_id, index_names, maintenance_type, scheduled_at, "
                        + "duration_seconds, status, created_at) VALUES (:id, :tenant, :indices, :type, :at, "
                        + ":seconds, :status, :created)")
                .param("id", window.windowId()).param("tenant", tenantId)
                .param("indices", indexNames.toArray(String[]::new)).param("type", type)
                .param("at", Timestamp.from(scheduledAt)).param("seconds", duration.toSeconds())
                .param("status", window.status()).param("created", Timestamp.from(window.createdAt())).update();
        return window;
    }

    public Optional<MaintenanceWindow> find(String tenantId, UUID windowId) {
        return jdbc.sql("SELECT * FROM maintenance_window WHERE window_id = :id AND tenant_id = :tenant")
                .param("id", windowId).param("tenant", tenantId).query((rs, n) -> window(rs)).optional();
    }

    /** Runs every window that is due, one after another; answers how many ran. */
    @Scheduled(fixedDelayString = "${qnsp.search.maintenance.poll-interval:10s}",
            initialDelayString = "${qnsp.search.maintenance.poll-interval:10s}")
    public int runDue() {
        int ran = 0;
        Optional<MaintenanceWindow> due;
        while ((due = claimDue()).isPresent()) {
            run(due.get());
            ran++;
        }
        return ran;
    }

    private Optional<MaintenanceWindow> claimDue() {
        Instant now = clock.instant();
        return jdbc.sql("UPDATE maintenance_window SET status = 'running', started_at = :now WHERE window_id = "
                        + "(SELECT window_id FROM maintenance_window WHERE status = 'scheduled' AND scheduled_at <= "
                        + ":now ORDER BY scheduled_at, window_id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *")
                .param("now", Timestamp.from(now)).query((rs, n) -> window(rs)).optional();
    }

    private void run(MaintenanceWindow window) {
        List<String> outcome = new ArrayList<>();
        boolean failed = false;
        for (String indexName : window.indexNames()) {
            Duration left = Duration.between(clock.instant(), window.endsAt());
            if (left.isNegative() || left.isZero()) {
                outcome.add(indexName + ": not run, the window had ended");
                failed = true;
                continue;
            }
            long started = System.nanoTime();
            try {
                String done = switch (window.maintenanceType()) {
                    case "optimize" -> statement("VACUUM (ANALYZE) " + Indices.partition(indexName), left);
                    case "reindex" -> statement("REINDEX TABLE " + Indices.partition(indexName), left);
                    default -> backup(window, indexName, left);
                };
                outcome.add(indexName + ": " + done + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            } catch (DataAccessException e) {
                log.warn("Maintenance window {} failed on {}", window.windowId(), indexName, e);
                outcome.add(indexName + ": failed (" + rootMessage(e) + ")");
                failed = true;
            }
        }
        jdbc.sql("UPDATE maintenance_window SET status = :status, finished_at = :now, outcome = :outcome "
                        + "WHERE window_id = :id")
                .param("status", failed ? MaintenanceWindow.FAILED : MaintenanceWindow.COMPLETED)
                .param("now", Timestamp.from(clock.instant())).param("outcome", String.join("; ", outcome))
                .param("id", window.windowId()).update();
    }

    /** Runs one maintenance statement outside any transaction (VACUUM refuses to run in one), within the time left. */
    private String statement(String sql, Duration left) {
        limited(left, connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return 0;
        });
        return sql.startsWith("VACUUM") ? "VACUUM ANALYZE done" : "REINDEX done";
    }

    /** Copies the tenant's documents of the index into the backup table, tagged with the window. */
    private String backup(MaintenanceWindow window, String indexName, Duration left) {
        int rows = limited(left, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO document_backup (window_id, "
                    + "index_name, tenant_id, document_id, source_id, title, body, occurred_at) SELECT ?, index_name, "
                    + "tenant_id, document_id, source_id, title, body, occurred_at FROM document WHERE tenant_id = ? "
                    + "AND index_name = ?")) {
                insert.setObject(1, window.windowId());
                insert.setString(2, window.tenantId());
                insert.setString(3, indexName);
                return insert.executeUpdate();
            }
        });
        return "backup of " + rows + " documents";
    }

    /** Runs the work on one connection whose statements PostgreSQL cancels once the time left is up. */
    private int limited(Duration left, ConnectionCallback<Integer> work) {
        Integer result = template.execute((Connection connection) -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = " + Math.max(1, left.toMillis()));
            }
            try {
                return work.doInConnection(connection);
            } finally {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("RESET statement_timeout");
                }
            }
        });
        return result == null ? 0 : result;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static MaintenanceWindow window(ResultSet rs) throws SQLException {
        Timestamp started = rs.getTimestamp("started_at");
        Timestamp finished = rs.getTimestamp("finished_at");
        return new MaintenanceWindow(rs.getObject("window_id", UUID.class), rs.getString("tenant_id"),
                Arrays.asList((String[]) rs.getArray("index_names").getArray()), rs.getString("maintenance_type"),
                rs.getTimestamp("scheduled_at").toInstant(), Duration.ofSeconds(rs.getLong("duration_seconds")),
                rs.getString("status"), started == null ? null : started.toInstant(),
                finished == null ? null : finished.toInstant(), rs.getString("outcome"),
                rs.getTimestamp("created_at").toInstant());
    }
}
