package io.qnsp.common.kms;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The table the KMS client owns in the service's database, {@code qnsp_kms_key}: which KMS key at kms-service the
 * service's data keys are generated under. It is created in the datasource's current schema, as the event outbox's
 * tables are, so a service needs no migration of its own for it. The data keys themselves are stored only as
 * kms-service encrypted them, beside what they protect.
 */
final class KmsKeySchema implements InitializingBean {

    static final String TABLE = "qnsp_kms_key";

    private static final String DDL = """
            CREATE TABLE IF NOT EXISTS qnsp_kms_key (
                key_name    text        PRIMARY KEY,
                key_id      uuid        NOT NULL,
                recorded_at timestamptz NOT NULL
            )""";

    // several instances starting at once take turns at the catalog (CREATE TABLE IF NOT EXISTS can still collide)
    private static final long DDL_LOCK = 0x716e73705f6b6d73L;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final boolean enabled;

    KmsKeySchema(JdbcTemplate jdbc, TransactionTemplate transactions, boolean enabled) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.enabled = enabled;
    }

    @Override
    public void afterPropertiesSet() {
        if (enabled) {
            transactions.executeWithoutResult(status -> {
                jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", DDL_LOCK);
                jdbc.execute(DDL);
            });
        }
    }
}
