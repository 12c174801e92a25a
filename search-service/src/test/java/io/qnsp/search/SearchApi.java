package io.qnsp.search;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.List;

/** Calls a running search-service over real HTTP as one caller; never throws on an error status. */
public final class SearchApi extends ServiceApi {

    private SearchApi(int port, String token) {
        super(client(port, token));
    }

    /** A member of the tenant with search:read and search:write. */
    public static SearchApi tenant(int port, String tenant) {
        return new SearchApi(port, TestTokens.forTenant(tenant).subject("searcher-" + tenant)
                .scopes(SearchScopes.READ, SearchScopes.WRITE).mint());
    }

    /** Another member of the tenant, as a second person searching. */
    public static SearchApi member(int port, String tenant, String subject) {
        return new SearchApi(port, TestTokens.forTenant(tenant).subject(subject)
                .scopes(SearchScopes.READ, SearchScopes.WRITE).mint());
    }

    public static SearchApi withScopes(int port, String tenant, String... scopes) {
        return new SearchApi(port, TestTokens.forTenant(tenant).subject("user-" + tenant).scopes(scopes).mint());
    }

    public static SearchApi anonymous(int port) {
        return new SearchApi(port, null);
    }

    public ResponseEntity<JsonNode> query(String q, String indexName) {
        return indexName == null ? get("/search/v1/query?q={q}", q)
                : get("/search/v1/query?q={q}&indexName={indexName}", q, indexName);
    }

    /** The answer to a query over every index, which must succeed. */
    public JsonNode search(String q) {
        return expect(query(q, null), 200);
    }

    /** The source ids of what a query over every index found. */
    public List<String> sourceIds(String q) {
        return search(q).get("results").valueStream().map(r -> r.get("sourceId").asString()).toList();
    }

    public ResponseEntity<JsonNode> click(String queryId, String documentId) {
        return post("/search/v1/query/" + queryId + "/clicks", body("documentId", documentId));
    }

    public ResponseEntity<JsonNode> createSynonyms(String name, String type, List<String> terms,
                                                   List<String> indexNames) {
        return post("/search/v1/synonyms", body("name", name, "type", type, "terms", terms, "indexNames",
                indexNames));
    }

    public ResponseEntity<JsonNode> expand(String term, String indexName) {
        return post("/search/v1/synonyms/expand", indexName == null ? body("term", term)
                : body("term", term, "indexName", indexName));
    }
}
