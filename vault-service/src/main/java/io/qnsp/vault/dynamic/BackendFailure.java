package io.qnsp.vault.dynamic;

import org.jspecify.annotations.Nullable;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A backend could not do what the vault asked. It says what went wrong in the vault's own words, with the SQLSTATE
 * and the statement's number where there is one: never the driver's message, which may quote a statement, a URL
 * or an account.
 */
final class BackendFailure extends Exception {

    /** What went wrong, and which field of the config a caller would change to fix it. */
    enum Reason {
        UNREACHABLE("unreachable", ConnectionStrings.FIELD, "the backend could not be reached"),
        DATABASE_NOT_FOUND("database_not_found", ConnectionStrings.FIELD, "the backend has no such database"),
        AUTHENTICATION_FAILED("authentication_failed", "backend.credentials", "the backend refused the credentials"),
        INSUFFICIENT_PRIVILEGE("insufficient_privilege", "backend.credentials",
                "the account may not create accounts and end their sessions"),
        ROLE_TEMPLATE_FAILED("role_template_failed", RoleTemplate.FIELD,
                "a statement of the role template failed"),
        STATEMENT_FAILED("statement_failed", "backend", "the backend refused a statement");

        private final String code;
        private final String field;
        private final String text;

        Reason(String code, String field, String text) {
            this.code = code;
            this.field = field;
            this.text = text;
        }

        String code() {
            return code;
        }

        String field() {
            return field;
        }
    }

    private static final Pattern SQL_STATE = Pattern.compile("[0-9A-Z]{5}");
    /** MySQL and MariaDB error codes for access refused at login. */
    private static final Set<Integer> MYSQL_LOGIN_REFUSED = Set.of(1044, 1045, 1698);
    /** MySQL and MariaDB error codes for a privilege the account lacks. */
    private static final Set<Integer> MYSQL_NO_PRIVILEGE = Set.of(1142, 1143, 1227, 1410, 1044);

    private final Reason reason;
    private final @Nullable String sqlState;
    private final int statement;

    BackendFailure(Reason reason, @Nullable String sqlState, int statement) {
        super(describe(reason, sqlState, statement), null, false, false);
        this.reason = reason;
        this.sqlState = sqlState;
        this.statement = statement;
    }

    BackendFailure(Reason reason) {
        this(reason, null, 0);
    }

    Reason reason() {
        return reason;
    }

    @Nullable String sqlState() {
        return sqlState;
    }

    /** The template's statement that failed, from 1; 0 for none. */
    int statement() {
        return statement;
    }

    /** A failure to connect and log in. */
    static BackendFailure connecting(SQLException e) {
        String state = state(e);
        if (state != null && state.startsWith("28") || MYSQL_LOGIN_REFUSED.contains(e.getErrorCode())) {
            return new BackendFailure(Reason.AUTHENTICATION_FAILED, state, 0);
        }
        if ("3D000".equals(state) || e.getErrorCode() == 1049) {
            return new BackendFailure(Reason.DATABASE_NOT_FOUND, state, 0);
        }
        return new BackendFailure(Reason.UNREACHABLE, state, 0);
    }

    /** A statement failed after the login: {@code reason} unless the failure says more. */
    static BackendFailure statement(SQLException e, Reason reason, int statement) {
        String state = state(e);
        if (state != null && state.startsWith("08") || lostConnection(e)) {
            return new BackendFailure(Reason.UNREACHABLE, state, 0);
        }
        if (reason != Reason.ROLE_TEMPLATE_FAILED
                && ("42501".equals(state) || MYSQL_NO_PRIVILEGE.contains(e.getErrorCode()))) {
            return new BackendFailure(Reason.INSUFFICIENT_PRIVILEGE, state, statement);
        }
        return new BackendFailure(reason, state, statement);
    }

    private static boolean lostConnection(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof SocketTimeoutException
                    || cause instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable String state(SQLException e) {
        String state = e.getSQLState();
        return state != null && SQL_STATE.matcher(state).matches() ? state : null;
    }

    private static String describe(Reason reason, @Nullable String sqlState, int statement) {
        return reason.text + (statement > 0 ? " (statement " + statement + ")" : "")
                + (sqlState != null ? " (SQLSTATE " + sqlState + ")" : "");
    }
}
