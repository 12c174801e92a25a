package io.qnsp.search.synonym;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The synonym groups, each its tenant's. */
@Repository
class SynonymGroups {

    private final JdbcClient jdbc;

    SynonymGroups(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean nameTaken(String tenantId, String name) {
        return jdbc.sql("SELECT count(*) FROM synonym_group WHERE tenant_id = :tenant AND name = :name")
                .param("tenant", tenantId).param("name", name).query(Long.class).single() > 0;
    }

    void insert(SynonymGroup group, String createdBy) {
        jdbc.sql("INSERT INTO synonym_group (group_id, tenant_id, name, type, terms, index_names, created_by, "
                        + "created_at) VALUES (:id, :tenant, :name, :type, :terms, :indices, :by, :at)")
                .param("id", group.groupId()).param("tenant", group.tenantId()).param("name", group.name())
                .param("type", group.type()).param("terms", group.terms().toArray(String[]::new))
                .param("indices", group.indexNames().toArray(String[]::new)).param("by", createdBy)
                .param("at", Timestamp.from(group.createdAt())).update();
    }

    List<SynonymGroup> ofTenant(String tenantId) {
        return jdbc.sql("SELECT * FROM synonym_group WHERE tenant_id = :tenant ORDER BY created_at, group_id")
                .param("tenant", tenantId).query((rs, n) -> group(rs)).list();
    }

    /** Groups of other tenants than this one, at most {@code limit}: what isolation verification probes with. */
    List<SynonymGroup> ofOtherTenants(String tenantId, int limit) {
        return jdbc.sql("SELECT * FROM synonym_group WHERE tenant_id <> :tenant ORDER BY random() LIMIT :limit")
                .param("tenant", tenantId).param("limit", limit).query((rs, n) -> group(rs)).list();
    }

    private static SynonymGroup group(ResultSet rs) throws SQLException {
        return new SynonymGroup(rs.getObject("group_id", UUID.class), rs.getString("tenant_id"),
                rs.getString("name"), rs.getString("type"), strings(rs.getArray("terms")),
                strings(rs.getArray("index_names")), rs.getTimestamp("created_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
