package io.qnsp.vault.dynamic;

import java.util.Map;

/**
 * How the vault reaches a config's backend and logs in to it: the JDBC URL the vault builds itself from the parts
 * it accepted (never the caller's text), and the account that creates and drops the leases' accounts. Sealed at
 * rest; {@link #toString} shows neither the password nor the account.
 */
record BackendConnection(BackendType type, String host, int port, String database, Map<String, String> options,
                         String username, String password) {

    BackendConnection {
        options = Map.copyOf(options);
    }

    /** The URL handed to the driver: scheme, host, port and database only; options go as driver properties. */
    String jdbcUrl() {
        String authority = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        return (type == BackendType.POSTGRES ? "jdbc:postgresql://" : "jdbc:mariadb://") + authority + "/" + database;
    }

    @Override
    public String toString() {
        return "BackendConnection[type=" + type.value() + ", host=" + host + ", port=" + port + ", database="
                + database + ", username=***, password=***]";
    }
}
