package io.qnsp.search.synonym;

import io.qnsp.common.error.InvalidField;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Synonym groups of a tenant, and the rewriting of a term or a whole query by them at query time. */
@Service
public class Synonyms {

    private final SynonymGroups groups;
    private final Clock clock;

    Synonyms(SynonymGroups groups, Clock clock) {
        this.groups = groups;
        this.clock = clock;
    }

    /** Creates a group; terms are compared in lower case and kept in the order given, without repeats. */
    @Transactional
    public SynonymGroup create(String tenantId, String name, String type, List<String> terms,
                               List<String> indexNames, String createdBy) {
        if (groups.nameTaken(tenantId, name)) {
            throw new SynonymNameTaken(name);
        }
        List<String> distinct = normalized(terms);
        if (distinct.size() < 2) {
            throw new InvalidField("terms", "must hold at least two different terms (compared in lower case)");
        }
        SynonymGroup group = new SynonymGroup(UUID.randomUUID(), tenantId, name, type, distinct,
                List.copyOf(new LinkedHashSet<>(indexNames)), clock.instant());
        groups.insert(group, createdBy);
        return group;
    }

    /** What the term may be rewritten to in the index (or in every index when it is null), in group order. */
    public List<String> expand(String tenantId, String term, String indexName) {
        String normalized = normalize(term);
        Set<String> expansions = new LinkedHashSet<>();
        for (SynonymGroup group : groups.ofTenant(tenantId)) {
            if (group.appliesTo(indexName)) {
                expansions.addAll(group.expansionsOf(normalized));
            }
        }
        expansions.remove(normalized);
        return List.copyOf(expansions);
    }

    /**
     * The query as typed followed by its rewritings: each occurrence of a group's source term (as whole words) is
     * replaced by each of the terms it stands for, one rewriting per replacement, at most {@code max} in all.
     */
    public List<String> rewrite(String tenantId, String query, String indexName, int max) {
        List<String> queries = new ArrayList<>();
        queries.add(query);
        String lower = query.toLowerCase(Locale.ROOT);
        Set<String> seen = new LinkedHashSet<>(queries);
        for (SynonymGroup group : groups.ofTenant(tenantId)) {
            if (!group.appliesTo(indexName)) {
                continue;
            }
            for (String source : group.sources()) {
                Matcher matcher = wholeWords(source).matcher(lower);
                if (!matcher.find()) {
                    continue;
                }
                for (String target : group.expansionsOf(source)) {
                    String rewritten = wholeWords(source).matcher(lower).replaceAll(Matcher.quoteReplacement(target));
                    if (seen.add(rewritten)) {
                        queries.add(rewritten);
                        if (queries.size() > max) {
                            return List.copyOf(queries.subList(0, max + 1));
                        }
                    }
                }
            }
        }
        return List.copyOf(queries);
    }

    /** The tenant's groups, oldest first. */
    public List<SynonymGroup> groupsOf(String tenantId) {
        return groups.ofTenant(tenantId);
    }

    /** The groups of other tenants, for isolation verification. */
    public List<SynonymGroup> ofOtherTenants(String tenantId, int limit) {
        return groups.ofOtherTenants(tenantId, limit);
    }

    static String normalize(String term) {
        return term.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static List<String> normalized(List<String> terms) {
        return List.copyOf(new LinkedHashSet<>(terms.stream().map(Synonyms::normalize).toList()));
    }

    private static Pattern wholeWords(String term) {
        return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(term) + "(?![\\p{L}\\p{N}])");
    }
}
