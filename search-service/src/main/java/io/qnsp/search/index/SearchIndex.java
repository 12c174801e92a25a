package io.qnsp.search.index;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The full-text index in PostgreSQL: documents with a stored {@code tsvector} under a GIN index, matched with
 * {@code websearch_to_tsquery} and ranked with {@code ts_rank_cd}. Every read is scoped to one tenant.
 */
@Repository
public class SearchIndex {

    /** The text search configuration of the index and of every query. */
    public static final String CONFIG = "english";

    private final JdbcClient jdbc;
    private final Clock clock;

    SearchIndex(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A match: the document, its rank and a highlighted fragment of its text. */
    public record Hit(UUID documentId, String indexName, String tenantId, String sourceId, String title,
                      String snippet, double score, Instant occurredAt) {
    }

    /** One page of matches and how many there are in all. */
    public record Page(List<Hit> hits, long total) {
    }

    /** Adds the document, or replaces the text of the one with the same source id. */
    public void put(IndexedDocument document) {
        jdbc.sql("INSERT INTO document (document_id, index_name, tenant_id, source_id, title, body, occurred_at, "
                        + "indexed_at) VALUES (:id, :index, :tenant, :source, :title, :body, :occurredAt, :now) "
                        + "ON CONFLICT (index_name, tenant_id, source_id) DO UPDATE SET title = EXCLUDED.title, "
                        + "body = EXCLUDED.body, occurred_at = EXCLUDED.occurred_at, indexed_at = EXCLUDED.indexed_at")
                .param("id", UUID.randomUUID()).param("index", document.indexName())
                .param("tenant", document.tenantId()).param("source", document.sourceId())
                .param("title", document.title()).param("body", document.body())
                .param("occurredAt", Timestamp.from(document.occurredAt()))
                .param("now", Timestamp.from(clock.instant())).update();
    }

    /** The stored document of the tenant with that source id, if any. */
    public Optional<IndexedDocument> find(String tenantId, String indexName, String sourceId) {
        return jdbc.sql("SELECT index_name, tenant_id, source_id, title, body, occurred_at FROM document "
                        + "WHERE tenant_id = :tenant AND index_name = :index AND source_id = :source")
                .param("tenant", tenantId).param("index", indexName).param("source", sourceId)
                .query((rs, n) -> new IndexedDocument(rs.getString("index_name"), rs.getString("tenant_id"),
                        rs.getString("source_id"), rs.getString("title"), rs.getString("body"),
                        rs.getTimestamp("occurred_at").toInstant()))
                .optional();
    }

    /** Whether the tenant has a document with that id in any index. */
    public boolean contains(String tenantId, UUID documentId) {
        return jdbc.sql("SELECT count(*) FROM document WHERE tenant_id = :tenant AND document_id = :id")
                .param("tenant", tenantId).param("id", documentId).query(Long.class).single() > 0;
    }

    /**
     * The tenant's documents matching any of the query texts (the query as typed and its rewritings by synonyms),
     * best first.
     *
     * @param indexName one index, or {@code null} for all of them
     */
    public Page search(String tenantId, List<String> queries, @Nullable String indexName, int limit, int offset) {
        StringBuilder tsquery = new StringBuilder();
        for (int i = 0; i < queries.size(); i++) {
            if (i > 0) {
                tsquery.append(" || ");
            }
            tsquery.append("websearch_to_tsquery('" + CONFIG + "', :q").append(i).append(')');
        }
        StringBuilder sql = new StringBuilder("SELECT d.document_id, d.index_name, d.tenant_id, d.source_id, d.title, "
                + "d.occurred_at, ts_rank_cd(d.tsv, q.query) AS score, ts_headline('" + CONFIG + "', d.title || ' — ' "
                + "|| d.body, q.query, 'MaxFragments=1, MaxWords=24, MinWords=6, StartSel=<b>, StopSel=</b>') "
                + "AS snippet, count(*) OVER () AS total FROM document d, (SELECT ")
                .append(tsquery).append(" AS query) q WHERE d.tenant_id = :tenant AND d.tsv @@ q.query");
        if (indexName != null) {
            sql.append(" AND d.index_name = :index");
        }
        sql.append(" ORDER BY score DESC, d.occurred_at DESC, d.document_id LIMIT :limit OFFSET :offset");
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString()).param("tenant", tenantId)
                .param("limit", limit).param("offset", offset);
        for (int i = 0; i < queries.size(); i++) {
            statement = statement.param("q" + i, queries.get(i));
        }
        if (indexName != null) {
            statement = statement.param("index", indexName);
        }
        long[] total = {0};
        List<Hit> hits = new ArrayList<>(statement.query((rs, n) -> {
            total[0] = rs.getLong("total");
            return new Hit(rs.getObject("document_id", UUID.class), rs.getString("index_name"),
                    rs.getString("tenant_id"), rs.getString("source_id"), rs.getString("title"),
                    rs.getString("snippet"), rs.getDouble("score"), rs.getTimestamp("occurred_at").toInstant());
        }).list());
        if (hits.isEmpty() && offset > 0) {
            // past the last page: the window function saw no row, so count the matches on their own
            StringBuilder count = new StringBuilder("SELECT count(*) FROM document d, (SELECT ").append(tsquery)
                    .append(" AS query) q WHERE d.tenant_id = :tenant AND d.tsv @@ q.query");
            if (indexName != null) {
                count.append(" AND d.index_name = :index");
            }
            JdbcClient.StatementSpec counting = jdbc.sql(count.toString()).param("tenant", tenantId);
            for (int i = 0; i < queries.size(); i++) {
                counting = counting.param("q" + i, queries.get(i));
            }
            if (indexName != null) {
                counting = counting.param("index", indexName);
            }
            total[0] = counting.query(Long.class).single();
        }
        return new Page(hits, total[0]);
    }

    /** A stored document, as isolation verification samples it. */
    public record Sample(UUID documentId, String indexName, String tenantId, String sourceId, String title) {
    }

    /** Up to {@code size} documents picked at random: the tenant's own, or those of every other tenant. */
    public List<Sample> sample(String tenantId, boolean own, int size) {
        return jdbc.sql("SELECT document_id, index_name, tenant_id, source_id, title FROM document WHERE "
                        + (own ? "tenant_id = :tenant" : "tenant_id <> :tenant") + " ORDER BY random() LIMIT :size")
                .param("tenant", tenantId).param("size", size)
                .query((rs, n) -> new Sample(rs.getObject("document_id", UUID.class), rs.getString("index_name"),
                        rs.getString("tenant_id"), rs.getString("source_id"), rs.getString("title")))
                .list();
    }
}
