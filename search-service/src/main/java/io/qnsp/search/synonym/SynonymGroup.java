package io.qnsp.search.synonym;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Terms a query may be rewritten with. {@code equivalent}: each term stands for every other. {@code one_way}: the
 * first term stands for the others, never the reverse (a search for "credential" also finds "api key" and
 * "secret", a search for "secret" finds secrets only).
 *
 * @param indexNames the indices the group applies to; empty for all of them
 */
public record SynonymGroup(UUID groupId, String tenantId, String name, String type, List<String> terms,
                           List<String> indexNames, Instant createdAt) {

    public static final String EQUIVALENT = "equivalent";
    public static final String ONE_WAY = "one_way";
    public static final List<String> TYPES = List.of(EQUIVALENT, ONE_WAY);

    public boolean appliesTo(String indexName) {
        return indexNames.isEmpty() || indexName == null || indexNames.contains(indexName);
    }

    /** The terms the group lets {@code term} (lower case) stand for; empty when it does not contain it as a source. */
    public List<String> expansionsOf(String term) {
        List<String> expansions = new ArrayList<>();
        if (ONE_WAY.equals(type)) {
            if (terms.getFirst().equals(term)) {
                expansions.addAll(terms.subList(1, terms.size()));
            }
        } else if (terms.contains(term)) {
            terms.stream().filter(other -> !other.equals(term)).forEach(expansions::add);
        }
        return expansions;
    }

    /** The terms a query may contain for the group to rewrite it. */
    public List<String> sources() {
        return ONE_WAY.equals(type) ? List.of(terms.getFirst()) : terms;
    }
}
