package io.qnsp.common.error;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Whether a failure says that the service's database cannot be reached, so that the caller can only come back later. */
public final class DatabaseUnreachable {

    private DatabaseUnreachable() {
    }

    /**
     * The SQL failure in {@code failure}'s causes that says the database cannot be reached, or null: no connection
     * within the pool's timeout ({@link SQLTransientConnectionException}), a connection refused or lost (SQLSTATE class
     * 08), or a server shutting down or starting up (57P01–57P03). Whatever the data access layer wrapped it in (a
     * transaction that could not begin, a repository's translated exception), it is found.
     */
    public static SQLException cause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException unreachable) {
                return unreachable;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return sql;
            }
        }
        return null;
    }
}
