package io.qnsp.kms.usage;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.sql.Types;

/**
 * The log of key operations. A success is written with the operation's own transaction (it rolls back with it);
 * a failure in a transaction of its own, because the failed call's transaction rolls back.
 */
@Repository
public class KeyOperations {

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate separately;

    KeyOperations(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public void record(KeyOperation operation) {
        if (operation.succeeded()) {
            insert(operation);
        } else {
            separately.executeWithoutResult(status -> insert(operation));
        }
    }

    private void insert(KeyOperation operation) {
        jdbc.update("""
                INSERT INTO key_operation (tenant_id, key_id, key_version, algorithm, application_id, source,
                    operation, bytes_processed, outcome, occurred_at)
                VALUES (:tenant, :keyId, :version, :algorithm, :application, :source, :operation, :bytes, :outcome,
                    :at)""", new MapSqlParameterSource()
                .addValue("tenant", operation.tenantId())
                .addValue("keyId", operation.keyId())
                .addValue("version", operation.keyVersion(), Types.INTEGER)
                .addValue("algorithm", operation.algorithm())
                .addValue("application", operation.applicationId())
                .addValue("source", operation.source())
                .addValue("operation", operation.operation().apiName())
                .addValue("bytes", operation.bytesProcessed())
                .addValue("outcome", operation.succeeded() ? "success" : "failure")
                .addValue("at", Timestamp.from(operation.occurredAt())));
    }
}
