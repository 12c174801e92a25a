package io.qnsp.search.isolation;

import io.qnsp.search.index.SearchIndex;
import io.qnsp.search.query.SearchQueries;
import io.qnsp.search.synonym.SynonymGroup;
import io.qnsp.search.synonym.Synonyms;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Checks that the caller's tenant sees nothing of any other tenant, with real queries through the same code the API
 * answers with: documents of other tenants (sampled at random) are searched for by their own words as the caller,
 * looked up by their ids, their synonym groups and recorded queries probed; a positive control proves the searches
 * do find the tenant's own documents. Every run is recorded.
 */
@Service
public class IsolationVerification {

    public static final List<String> TYPES = List.of("query_isolation", "index_isolation", "full");
    static final int PAGE = 100;

    private final SearchIndex index;
    private final Synonyms synonyms;
    private final SearchQueries queries;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    IsolationVerification(SearchIndex index, Synonyms synonyms, SearchQueries queries, JdbcClient jdbc,
                          JsonMapper json, Clock clock) {
        this.index = index;
        this.synonyms = synonyms;
        this.queries = queries;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public record Test(String testName, boolean passed, String details) {
    }

    public record Verification(UUID verificationId, boolean passed, List<Test> tests, Instant ranAt) {
    }

    /** Runs the tests of the type; not one transaction, so that each probe succeeds or fails on its own. */
    public Verification verify(String tenantId, String testType, int sampleSize) {
        List<Test> tests = new ArrayList<>();
        List<SearchIndex.Sample> foreign = index.sample(tenantId, false, sampleSize);
        if (!"index_isolation".equals(testType)) {
            tests.add(ownDocumentsFound(tenantId, sampleSize));
            tests.add(foreignDocumentsNotFound(tenantId, foreign));
        }
        if (!"query_isolation".equals(testType)) {
            tests.add(foreignDocumentsNotVisible(tenantId, foreign));
            tests.add(foreignSynonymsNotApplied(tenantId, sampleSize));
            tests.add(foreignQueriesNotVisible(tenantId, sampleSize));
        }
        boolean passed = tests.stream().allMatch(Test::passed);
        Verification verification = new Verification(UUID.randomUUID(), passed, List.copyOf(tests), clock.instant());
        jdbc.sql("INSERT INTO isolation_verification (verification_id, tenant_id, test_type, sample_size, passed, "
                        + "tests, ran_at) VALUES (:id, :tenant, :type, :size, :passed, :tests, :at)")
                .param("id", verification.verificationId()).param("tenant", tenantId).param("type", testType)
                .param("size", sampleSize).param("passed", passed)
                .param("tests", json.writeValueAsString(tests))
                .param("at", Timestamp.from(verification.ranAt())).update();
        return verification;
    }

    /** The control: the searches used below do find the tenant's own documents, and nothing but its own. */
    private Test ownDocumentsFound(String tenantId, int sampleSize) {
        List<SearchIndex.Sample> own = index.sample(tenantId, true, sampleSize);
        int found = 0;
        int foreignHits = 0;
        for (SearchIndex.Sample sample : own) {
            SearchIndex.Page page = index.search(tenantId, List.of(phrase(sample.title())), null, PAGE, 0);
            if (page.hits().stream().anyMatch(hit -> hit.documentId().equals(sample.documentId()))
                    || page.total() > PAGE) {
                found++;
            }
            foreignHits += (int) page.hits().stream().filter(hit -> !tenantId.equals(hit.tenantId())).count();
        }
        boolean passed = foreignHits == 0 && found == own.size();
        return new Test("own_documents_found", passed, own.isEmpty()
                ? "the tenant has no documents yet: nothing to search for"
                : "searched for " + own.size() + " of the tenant's documents by their titles: " + found
                + " found, " + foreignHits + " results of another tenant");
    }

    /** Other tenants' documents searched for by their own titles, as the caller: none may come back. */
    private Test foreignDocumentsNotFound(String tenantId, List<SearchIndex.Sample> foreign) {
        int leaked = 0;
        long results = 0;
        for (SearchIndex.Sample sample : foreign) {
            SearchIndex.Page page = index.search(tenantId, List.of(phrase(sample.title()), sample.sourceId()), null,
                    PAGE, 0);
            results += page.hits().size();
            leaked += (int) page.hits().stream().filter(hit -> !tenantId.equals(hit.tenantId())
                    || hit.documentId().equals(sample.documentId())).count();
        }
        return new Test("cross_tenant_queries", leaked == 0, foreign.isEmpty()
                ? "no other tenant has documents: no cross-tenant query to run"
                : "searched for " + foreign.size() + " documents of " + tenants(foreign) + " other tenant(s) by "
                + "their titles and ids: " + results + " results, " + leaked + " of another tenant");
    }

    /** Other tenants' documents looked up by their ids and source ids in the caller's scope: none may exist. */
    private Test foreignDocumentsNotVisible(String tenantId, List<SearchIndex.Sample> foreign) {
        int visible = 0;
        for (SearchIndex.Sample sample : foreign) {
            if (index.contains(tenantId, sample.documentId())
                    || index.find(tenantId, sample.indexName(), sample.sourceId())
                    .filter(doc -> !tenantId.equals(doc.tenantId())).isPresent()) {
                visible++;
            }
        }
        return new Test("cross_tenant_lookups", visible == 0, foreign.isEmpty()
                ? "no other tenant has documents: no cross-tenant lookup to run"
                : "looked up " + foreign.size() + " documents of " + tenants(foreign) + " other tenant(s) by id: "
                + visible + " visible");
    }

    /**
     * Terms of other tenants' synonym groups expanded for the caller: every expansion must come from a group stored
     * for the caller's own tenant.
     */
    private Test foreignSynonymsNotApplied(String tenantId, int sampleSize) {
        List<SynonymGroup> others = synonyms.ofOtherTenants(tenantId, sampleSize);
        List<SynonymGroup> own = synonyms.groupsOf(tenantId);
        int foreignGroups = (int) own.stream().filter(group -> !tenantId.equals(group.tenantId())).count();
        int applied = 0;
        int probes = 0;
        for (SynonymGroup group : others) {
            for (String term : group.sources()) {
                probes++;
                Set<String> explained = new HashSet<>();
                own.stream().filter(mine -> tenantId.equals(mine.tenantId()))
                        .forEach(mine -> explained.addAll(mine.expansionsOf(term)));
                Set<String> expansions = new HashSet<>(synonyms.expand(tenantId, term, null));
                expansions.removeAll(explained);
                if (!expansions.isEmpty()) {
                    applied++;
                }
            }
        }
        return new Test("cross_tenant_synonyms", applied == 0 && foreignGroups == 0, others.isEmpty()
                ? "no other tenant has synonym groups: nothing to probe; " + foreignGroups + " groups of another "
                + "tenant among the tenant's " + own.size()
                : "expanded " + probes + " terms of " + others.size() + " synonym groups of other tenants: "
                + applied + " expanded by a group that is not the tenant's; " + foreignGroups + " groups of "
                + "another tenant among the tenant's " + own.size());
    }

    /**
     * Other tenants' recorded queries looked up as the caller, through the lookup a click makes: each must be
     * unknown. (Nothing is written: a probe that recorded a click would change another tenant's analytics.)
     */
    private Test foreignQueriesNotVisible(String tenantId, int sampleSize) {
        List<UUID> others = queries.otherTenantsQueries(tenantId, sampleSize);
        long visible = others.stream().filter(queryId -> queries.returned(tenantId, queryId).isPresent()).count();
        return new Test("cross_tenant_analytics", visible == 0, others.isEmpty()
                ? "no other tenant has recorded queries: nothing to probe"
                : "looked up " + others.size() + " queries of other tenants as clicks do: " + visible
                + " found");
    }

    private static long tenants(List<SearchIndex.Sample> samples) {
        return samples.stream().map(SearchIndex.Sample::tenantId).distinct().count();
    }

    /** The title as a quoted phrase in web-search syntax (quotes in it dropped). */
    private static String phrase(String title) {
        return "\"" + title.replace("\"", " ") + "\"";
    }
}
