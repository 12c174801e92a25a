package io.qnsp.common.events;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

/**
 * The two tables common-lib owns in every service database, created in the datasource's current schema so services
 * need no migration of their own for them (the way Spring Modulith initializes its publication table).
 */
final class EventSchema implements InitializingBean {

    static final String OUTBOX_TABLE = "qnsp_event_outbox";
    static final String CONSUMED_TABLE = "qnsp_consumed_event";

    // Unqualified names resolve to the first schema on the search_path, i.e. the service's own schema.
    private static final List<String> DDL = List.of(
            """
            CREATE TABLE IF NOT EXISTS qnsp_event_outbox (
                id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                event_id     uuid          NOT NULL UNIQUE,
                stream       varchar(200)  NOT NULL,
                event_type   varchar(500)  NOT NULL,
                payload      json          NOT NULL,
                occurred_at  timestamptz   NOT NULL,
                created_at   timestamptz   NOT NULL DEFAULT clock_timestamp(),
                published_at timestamptz,
                attempts     integer       NOT NULL DEFAULT 0,
                last_error   varchar(1000)
            )""",
            """
            CREATE INDEX IF NOT EXISTS qnsp_event_outbox_unpublished
                ON qnsp_event_outbox (created_at, id) WHERE published_at IS NULL""",
            """
            CREATE INDEX IF NOT EXISTS qnsp_event_outbox_published
                ON qnsp_event_outbox (published_at) WHERE published_at IS NOT NULL""",
            """
            CREATE TABLE IF NOT EXISTS qnsp_consumed_event (
                consumer_group varchar(200) NOT NULL,
                event_id       uuid         NOT NULL,
                consumed_at    timestamptz  NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer_group, event_id)
            )""",
            """
            CREATE INDEX IF NOT EXISTS qnsp_consumed_event_consumed_at
                ON qnsp_consumed_event (consumed_at)""");

    // Concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalog when several instances start
    // at once; a transaction-scoped advisory lock makes them take turns.
    private static final long DDL_LOCK = 0x716e73705f657674L;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final boolean enabled;

    EventSchema(JdbcTemplate jdbc, TransactionTemplate transactions, boolean enabled) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.enabled = enabled;
    }

    @Override
    public void afterPropertiesSet() {
        if (enabled) {
            create();
        }
    }

    void create() {
        transactions.executeWithoutResult(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", DDL_LOCK);
            DDL.forEach(jdbc::execute);
        });
    }
}
