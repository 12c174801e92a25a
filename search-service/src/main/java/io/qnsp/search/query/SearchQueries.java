package io.qnsp.search.query;

import io.qnsp.common.error.InvalidField;
import io.qnsp.search.index.SearchIndex;
import io.qnsp.search.synonym.Synonyms;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a tenant's query against the index with its synonyms applied, and records it (latency, number of results,
 * the page returned) for the analytics; records the clicks on its results with their positions.
 */
@Service
public class SearchQueries {

    private final SearchIndex index;
    private final Synonyms synonyms;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final QuerySettings settings;

    SearchQueries(SearchIndex index, Synonyms synonyms, JdbcClient jdbc, Clock clock, QuerySettings settings) {
        this.index = index;
        this.synonyms = synonyms;
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /** A query's answer: its id (for clicks), what was searched for, and the page of results. */
    public record Answer(UUID queryId, String query, List<String> rewrittenQueries, SearchIndex.Page page,
                         double latencyMs, Instant searchedAt) {
    }

    @Transactional
    public Answer search(String tenantId, @Nullable String principal, String query, @Nullable String indexName,
                         int limit, int offset) {
        long started = System.nanoTime();
        List<String> queries = synonyms.rewrite(tenantId, query, indexName, settings.maxExpansions());
        SearchIndex.Page page = index.search(tenantId, queries, indexName, limit, offset);
        double latencyMs = (System.nanoTime() - started) / 1_000_000.0;
        UUID queryId = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("INSERT INTO search_query (query_id, tenant_id, principal, query, index_name, result_count, "
                        + "result_ids, result_offset, latency_ms, searched_at) VALUES (:id, :tenant, :principal, "
                        + ":query, :index, :count, CAST(:ids AS uuid[]), :offset, :latency, :at)")
                .param("id", queryId).param("tenant", tenantId).param("principal", principal)
                .param("query", query).param("index", indexName).param("count", page.total())
                .param("ids", page.hits().stream().map(hit -> hit.documentId().toString()).toArray(String[]::new))
                .param("offset", offset).param("latency", latencyMs).param("at", Timestamp.from(now)).update();
        return new Answer(queryId, query, queries.subList(1, queries.size()), page, latencyMs, now);
    }

    /** A click on a result of a query, with its position among all results (1 is the first). */
    public record Click(UUID queryId, UUID documentId, int position, Instant clickedAt) {
    }

    /** Records the click once; clicking the same result again answers the first click. */
    @Transactional
    public Click click(String tenantId, UUID queryId, UUID documentId) {
        Returned returned = returned(tenantId, queryId).orElseThrow(QueryNotFound::new);
        int at = Arrays.asList(returned.ids()).indexOf(documentId);
        if (at < 0) {
            throw new InvalidField("documentId", "is not among the results this query returned");
        }
        int position = returned.offset() + at + 1;
        Instant now = clock.instant();
        jdbc.sql("INSERT INTO search_click (query_id, document_id, tenant_id, position, clicked_at) VALUES (:query, "
                        + ":document, :tenant, :position, :at) ON CONFLICT (query_id, document_id) DO NOTHING")
                .param("query", queryId).param("document", documentId).param("tenant", tenantId)
                .param("position", position).param("at", Timestamp.from(now)).update();
        return jdbc.sql("SELECT position, clicked_at FROM search_click WHERE query_id = :query AND document_id = "
                        + ":document")
                .param("query", queryId).param("document", documentId)
                .query((rs, n) -> new Click(queryId, documentId, rs.getInt("position"),
                        rs.getTimestamp("clicked_at").toInstant())).single();
    }

    /** The page of results a query of the tenant returned: the ids shown and the offset of the first. */
    public record Returned(UUID[] ids, int offset) {
    }

    /** What the tenant's query returned, as clicks see it; empty for an unknown query or another tenant's. */
    public Optional<Returned> returned(String tenantId, UUID queryId) {
        return jdbc.sql("SELECT result_ids, result_offset FROM search_query WHERE query_id = :id "
                        + "AND tenant_id = :tenant")
                .param("id", queryId).param("tenant", tenantId)
                .query((rs, n) -> new Returned((UUID[]) rs.getArray("result_ids").getArray(),
                        rs.getInt("result_offset")))
                .optional();
    }

    /** Up to {@code size} query ids of other tenants than this one, for isolation verification. */
    public List<UUID> otherTenantsQueries(String tenantId, int size) {
        return jdbc.sql("SELECT query_id FROM search_query WHERE tenant_id <> :tenant ORDER BY random() LIMIT :size")
                .param("tenant", tenantId).param("size", size).query(UUID.class).list();
    }
}
