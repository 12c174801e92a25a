package io.qnsp.search.synonym.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.search.SearchScopes;
import io.qnsp.search.index.Indices;
import io.qnsp.search.synonym.SynonymGroup;
import io.qnsp.search.synonym.Synonyms;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Synonym groups of the caller's tenant, applied to its queries, and the expansion of one term by them. */
@Tag(name = "Synonym management")
@RestController
@RequestMapping("/search/v1/synonyms")
class SynonymController {

    static final int MAX_TERMS = 50;
    static final int MAX_TERM_LENGTH = 100;

    record CreateSynonymGroupRequest(@Nullable String name,
                                     @Schema(allowableValues = {"equivalent", "one_way"},
                                             description = "equivalent: every term stands for every other; "
                                                     + "one_way: the first term stands for the others only")
                                     @Nullable String type,
                                     @Schema(description = "2 to 50 terms (words or phrases)")
                                     @Nullable List<String> terms,
                                     @Schema(description = "the indices the group applies to; empty or absent for "
                                             + "all: audit-events, request-logs, api-keys, secrets")
                                     @Nullable List<String> indexNames) {
    }

    record SynonymGroupCreated(UUID groupId, String name, Instant createdAt, String type, List<String> terms,
                               List<String> indexNames) {
    }

    record ExpandRequest(@Nullable String term,
                         @Schema(description = "the index whose groups apply; absent for groups of every index")
                         @Nullable String indexName) {
    }

    record Expansion(String original, @Schema(description = "what the term stands for, in the groups' order")
                     List<String> expansions) {
    }

    private final Synonyms synonyms;

    SynonymController(Synonyms synonyms) {
        this.synonyms = synonyms;
    }

    @Operation(summary = "Create a synonym group", operationId = "createSynonymGroup",
            description = "Applied from then on to the tenant's queries of the named indices. Terms are compared in "
                    + "lower case. Needs search:write.")
    @FailureResponse(status = 409, description = "the tenant has a synonym group of that name already")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = SearchScopes.WRITE, audit = "search.synonym_group.created",
            resourceType = "synonym_group", resourceId = "#result.groupId")
    SynonymGroupCreated create(Caller caller, @RequestBody CreateSynonymGroupRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.name() == null || request.name().isBlank()) {
            problems.add("name", "is required");
        } else if (request.name().length() > 200) {
            problems.add("name", "must be at most 200 characters");
        }
        if (request.type() == null) {
            problems.add("type", "is required");
        } else if (!SynonymGroup.TYPES.contains(request.type())) {
            problems.add("type", "must be one of " + SynonymGroup.TYPES);
        }
        if (request.terms() == null) {
            problems.add("terms", "is required");
        } else if (request.terms().size() < 2 || request.terms().size() > MAX_TERMS) {
            problems.add("terms", "must hold 2 to " + MAX_TERMS + " terms");
        } else {
            for (int i = 0; i < request.terms().size(); i++) {
                String term = request.terms().get(i);
                if (term == null || term.isBlank()) {
                    problems.add("terms[" + i + "]", "must not be blank");
                } else if (term.length() > MAX_TERM_LENGTH) {
                    problems.add("terms[" + i + "]", "must be at most " + MAX_TERM_LENGTH + " characters");
                }
            }
        }
        List<String> indexNames = indexNames(request.indexNames(), "indexNames", problems);
        problems.throwIfAny();
        SynonymGroup group = synonyms.create(tenant, request.name().strip(), request.type(), request.terms(),
                indexNames, caller.principal());
        return new SynonymGroupCreated(group.groupId(), group.name(), group.createdAt(), group.type(), group.terms(),
                group.indexNames());
    }

    @Operation(summary = "Expand a term with synonyms", operationId = "expandSynonyms",
            description = "What the tenant's synonym groups let the term stand for in the index, as a query of it "
                    + "would be rewritten. Needs search:read.")
    @PostMapping("/expand")
    @RequiredControls(scopes = SearchScopes.READ, audit = "search.synonyms.expanded", resourceType = "synonym_group")
    Expansion expand(Caller caller, @RequestBody ExpandRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.term() == null || request.term().isBlank()) {
            problems.add("term", "is required");
        } else if (request.term().length() > MAX_TERM_LENGTH) {
            problems.add("term", "must be at most " + MAX_TERM_LENGTH + " characters");
        }
        if (request.indexName() != null && !Indices.exists(request.indexName())) {
            problems.add("indexName", "must be one of " + Indices.NAMES);
        }
        problems.throwIfAny();
        return new Expansion(request.term(), synonyms.expand(tenant, request.term(), request.indexName()));
    }

    /** Index names as given, each checked; absent is every index (an empty list). */
    static List<String> indexNames(@Nullable List<String> names, String field, InvalidField.Problems problems) {
        if (names == null) {
            return List.of();
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null || !Indices.exists(names.get(i))) {
                problems.add(field + "[" + i + "]", "must be one of " + Indices.NAMES);
            }
        }
        return names.stream().filter(n -> n != null && Indices.exists(n)).distinct().toList();
    }
}
