package io.qnsp.test.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL table lock that a test holds on a connection of its own, to stop the writers of a service under test
 * at a point the test chooses instead of hoping to catch them there: each transaction that writes to the table waits
 * with whatever it had in hand until {@link #release()}. Reads of the table go on meanwhile.
 */
public final class TableLock implements AutoCloseable {

    private final Connection connection;
    private final String table;
    private boolean held = true;

    private TableLock(Connection connection, String table) {
        this.connection = connection;
        this.table = table;
    }

    /**
     * Takes {@code LOCK TABLE … IN EXCLUSIVE MODE} on {@code table} (schema-qualified), once the writes in progress
     * have committed: from then on every {@code INSERT}, {@code UPDATE} and {@code DELETE} of it waits.
     */
    public static TableLock exclusive(String jdbcUrl, String user, String password, String table) {
        Connection connection = null;
        try {
            connection = DriverManager.getConnection(jdbcUrl, user, password);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE " + table + " IN EXCLUSIVE MODE");
            }
            return new TableLock(connection, table);
        } catch (SQLException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("could not lock " + table, e);
        }
    }

    /** Lets the waiting writers go on; a second call does nothing. */
    public synchronized void release() {
        if (!held) {
            return;
        }
        held = false;
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException("could not release the lock on " + table, e);
        }
    }

    @Override
    public void close() {
        release();
    }
}
