package io.qnsp.kms.byohsm;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The keys generated in the tenants' tokens, always read within one tenant. */
@Repository
class HsmKeys {

    private static final String COLUMNS = "key_id, connection_id, tenant_id, key_type, key_size, algorithm, purpose, "
            + "alias, name, description, public_key, created_at";

    private final NamedParameterJdbcTemplate jdbc;

    HsmKeys(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(HsmKey k) {
        jdbc.update("INSERT INTO hsm_key (" + COLUMNS + ") VALUES (:id, :connection, :tenant, :type, :size, "
                        + ":algorithm, :purpose, :alias, :name, :description, :publicKey, :createdAt)",
                new MapSqlParameterSource("id", k.keyId()).addValue("connection", k.connectionId())
                        .addValue("tenant", k.tenantId()).addValue("type", k.keyType()).addValue("size", k.keySize())
                        .addValue("algorithm", k.algorithm()).addValue("purpose", String.join(",", k.purpose()))
                        .addValue("alias", k.alias()).addValue("name", k.name(), Types.VARCHAR)
                        .addValue("description", k.description(), Types.VARCHAR)
                        .addValue("publicKey", k.publicKey(), Types.BINARY)
                        .addValue("createdAt", Timestamp.from(k.createdAt())));
    }

    Optional<HsmKey> find(String tenantId, UUID keyId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM hsm_key WHERE tenant_id = :tenant AND key_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", keyId), KEY).stream().findFirst();
    }

    List<HsmKey> list(String tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM hsm_key WHERE tenant_id = :tenant ORDER BY created_at, key_id",
                new MapSqlParameterSource("tenant", tenantId), KEY);
    }

    private static final RowMapper<HsmKey> KEY = (rs, row) -> new HsmKey(rs.getObject("key_id", UUID.class),
            rs.getObject("connection_id", UUID.class), rs.getString("tenant_id"), rs.getString("key_type"),
            rs.getInt("key_size"), rs.getString("algorithm"), Arrays.asList(rs.getString("purpose").split(",")),
            rs.getString("alias"), rs.getString("name"), rs.getString("description"), rs.getBytes("public_key"),
            rs.getTimestamp("created_at").toInstant());
}
