package io.qnsp.search.query.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.search.SearchScopes;
import io.qnsp.search.index.Indices;
import io.qnsp.search.query.QuerySettings;
import io.qnsp.search.query.SearchQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The query endpoint (beyond the API reference, which describes its analytics): full-text search over the caller's
 * tenant's indices, and the clicks on its results that the quality figures are computed from.
 */
@Tag(name = "Search")
@RestController
@RequestMapping("/search/v1/query")
class QueryController {

    static final int MAX_QUERY_LENGTH = 500;
    static final int MAX_OFFSET = 10_000;

    record Result(UUID documentId, String indexName,
                  @Schema(description = "the record's id in its source: an event id, an API key id, a secret id")
                  String sourceId, String title,
                  @Schema(description = "the best matching fragment, matches between <b> and </b>") String snippet,
                  @Schema(description = "PostgreSQL's ts_rank_cd of the document for the query") double score,
                  Instant occurredAt) {
    }

    record QueryAnswer(@Schema(description = "refer to it when recording a click") UUID queryId, String query,
                       @Nullable String indexName,
                       @Schema(description = "the query as the tenant's synonym groups rewrote it, each also "
                               + "searched") List<String> rewrittenQueries,
                       long total, int limit, int offset, double latencyMs, List<Result> results) {
    }

    record ClickRequest(@Nullable UUID documentId) {
    }

    record ClickRecorded(UUID queryId, UUID documentId,
                         @Schema(description = "the result's position among all results of the query, from 1")
                         int position, Instant clickedAt) {
    }

    private final SearchQueries queries;
    private final QuerySettings settings;

    QueryController(SearchQueries queries, QuerySettings settings) {
        this.queries = queries;
        this.settings = settings;
    }

    @Operation(summary = "Search the tenant's index", operationId = "searchQuery",
            description = "Web-search syntax (PostgreSQL websearch_to_tsquery): words, \"quoted phrases\", OR, "
                    + "-excluded. The tenant's synonym groups rewrite the query and every form is searched. Results "
                    + "are the caller's tenant's only, best ranked first. The query is recorded for the analytics. "
                    + "Needs search:read.")
    @GetMapping
    @RequiredControls(scopes = SearchScopes.READ, audit = "search.query.executed", resourceType = "query",
            resourceId = "#result.queryId")
    QueryAnswer search(Caller caller,
                       @Parameter(description = "what to search for, at most 500 characters")
                       @RequestParam(required = false) @Nullable String q,
                       @Parameter(description = "audit-events, request-logs, api-keys or secrets; all by default")
                       @RequestParam(required = false) @Nullable String indexName,
                       @Parameter(description = "results per page, 1 to the configured maximum (100)")
                       @RequestParam(required = false) @Nullable String limit,
                       @Parameter(description = "results to skip, 0 to 10000")
                       @RequestParam(required = false) @Nullable String offset) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (q == null || q.isBlank()) {
            problems.add("q", "is required");
        } else if (q.length() > MAX_QUERY_LENGTH) {
            problems.add("q", "must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        if (indexName != null && !Indices.exists(indexName)) {
            problems.add("indexName", "must be one of " + Indices.NAMES);
        }
        int pageSize = number(limit, "limit", settings.defaultLimit(), 1, settings.maxLimit(), problems);
        int skip = number(offset, "offset", 0, 0, MAX_OFFSET, problems);
        problems.throwIfAny();
        SearchQueries.Answer answer = queries.search(tenant, caller.principal(), q.strip(), indexName, pageSize,
                skip);
        return new QueryAnswer(answer.queryId(), answer.query(), indexName, answer.rewrittenQueries(),
                answer.page().total(), pageSize, skip, answer.latencyMs(), answer.page().hits().stream()
                .map(hit -> new Result(hit.documentId(), hit.indexName(), hit.sourceId(), hit.title(),
                        hit.snippet(), hit.score(), hit.occurredAt())).toList());
    }

    @Operation(summary = "Record a click on a result", operationId = "recordSearchClick",
            description = "The click's position feeds the mean reciprocal rank and the click-through rate. A second "
                    + "click on the same result answers the first. Needs search:read.")
    @FailureResponse(status = 404, description = "no query of the caller's tenant with that id")
    @PostMapping("/{queryId}/clicks")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = SearchScopes.READ, audit = "search.result.clicked", resourceType = "query",
            resourceId = "#queryId")
    ClickRecorded click(Caller caller, @PathVariable String queryId, @RequestBody ClickRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID id = problems.uuid(queryId, "queryId");
        if (request.documentId() == null) {
            problems.add("documentId", "is required");
        }
        problems.throwIfAny();
        SearchQueries.Click click = queries.click(tenant, id, request.documentId());
        return new ClickRecorded(click.queryId(), click.documentId(), click.position(), click.clickedAt());
    }

    private static int number(@Nullable String text, String field, int fallback, int min, int max,
                              InvalidField.Problems problems) {
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(field, "must be a whole number from " + min + " to " + max);
        return fallback;
    }
}
