package io.qnsp.kpi.query.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kpi.KpiScopes;
import io.qnsp.kpi.definition.Aggregation;
import io.qnsp.kpi.definition.Contract;
import io.qnsp.kpi.definition.KpiCatalog;
import io.qnsp.kpi.definition.KpiDefinition;
import io.qnsp.kpi.query.Granularity;
import io.qnsp.kpi.query.KpiQueries;
import io.qnsp.kpi.query.KpiQuery;
import io.qnsp.kpi.query.Point;
import io.qnsp.kpi.query.QuerySettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Spec 000's {@code POST /query}: a KPI's series, filtered, downsampled, with confidence intervals. */
@Tag(name = "Query")
@RestController
@RequestMapping("/api/v1/storage/kpi")
class QueryController {

    record WindowRequest(@Schema(description = "inclusive: a date (2025-10-01, midnight UTC) or an ISO 8601 "
            + "date-time with an offset") String from,
                         @Schema(description = "exclusive: a date-time with an offset, or a date, which includes "
                                 + "that whole day") String to) {
    }

    record QueryRequest(@Schema(description = "the KPI, e.g. revenue_mtd or platform.request_duration_ms") String kpi,
                        @Schema(description = "the contract version to answer under, e.g. v1; the newest by default. "
                                + "Filters are checked against its dimensions and its aggregation is the default")
                        @Nullable String contract,
                        @Schema(description = "dimension name to the values a sample may have (any of them); all "
                                + "filters must hold, e.g. {\"region\": [\"IN\", \"US\"]}")
                        @Nullable Map<String, List<String>> filters,
                        WindowRequest window,
                        @Schema(description = "the bucket width, day by default") @Nullable Granularity granularity,
                        @Schema(description = "how a bucket's samples become its value; the contract's by default")
                        @Nullable Aggregation aggregation,
                        @Schema(description = "the level of the confidence intervals of averaged buckets, 0.5 to "
                                + "0.9999; 0.95 by default") @Nullable Double confidence) {
    }

    record ConfidenceInterval(@Schema(description = "mean − t·s/√n") double lower,
                              @Schema(description = "mean + t·s/√n") double upper) {
    }

    record QueryPoint(@Schema(description = "the bucket's start: a date (2025-10-01) when it is a UTC midnight of a "
            + "day, week or month bucket or of the window, otherwise an ISO 8601 instant") String ts,
                      double value,
                      @Schema(description = "samples in the bucket") long samples,
                      @Schema(description = "for avg, the two-sided Student's t confidence interval of the bucket's "
                              + "mean at the query's confidence level, from the bucket's samples; null for other "
                              + "aggregations and for buckets of one sample")
                      @Nullable ConfidenceInterval ci) {

        static QueryPoint of(Point point, Granularity granularity) {
            boolean asDate = point.startsAtMidnight() && granularity != Granularity.MINUTE
                    && granularity != Granularity.HOUR;
            String ts = asDate ? point.start().atOffset(ZoneOffset.UTC).toLocalDate().toString()
                    : point.start().toString();
            return new QueryPoint(ts, point.value(), point.samples(), point.lower() == null ? null
                    : new ConfidenceInterval(point.lower(), point.upper()));
        }
    }

    record WindowView(Instant from, Instant to) {
    }

    record QueryResponse(String kpi,
                         @Schema(description = "buckets holding samples, oldest first") List<QueryPoint> points,
                         @Schema(description = "the contract version the query was answered under") String contract,
                         Granularity granularity, Aggregation aggregation,
                         @Schema(description = "the confidence level of the intervals; null unless aggregation is avg")
                         @Nullable Double confidence,
                         @Schema(description = "the window as instants, from inclusive, to exclusive")
                         WindowView window) {
    }

    private final KpiCatalog catalog;
    private final KpiQueries queries;
    private final QuerySettings settings;

    QueryController(KpiCatalog catalog, KpiQueries queries, QuerySettings settings) {
        this.catalog = catalog;
        this.queries = queries;
        this.settings = settings;
    }

    @Operation(summary = "Query a KPI", operationId = "queryKpi",
            description = "The KPI's samples in the window that match the filters, downsampled into buckets of the "
                    + "granularity and aggregated (sum, avg, min, max or count). With avg, each bucket of two or "
                    + "more samples carries the confidence interval of its mean (Student's t over its samples). "
                    + "Answered under the contract version named, so a query keeps its meaning when newer versions "
                    + "are published. Needs kpi:read.")
    @FailureResponse(status = 404, description = "not_found: no KPI of this name for the tenant or the platform, or "
            + "the contract named was not published")
    @PostMapping("/query")
    @RequiredControls(scopes = KpiScopes.READ)
    QueryResponse query(Caller caller, @RequestBody QueryRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        if (request.kpi() == null) {
            throw new InvalidField("kpi", "is required");
        }
        KpiDefinition definition = catalog.get(tenant, request.kpi(), "kpi");
        Contract contract = catalog.contract(definition, request.contract(), "contract");
        WindowRequest window = request.window();
        KpiQuery query = KpiQuery.of(definition, contract, request.filters(), window == null ? null : window.from(),
                window == null ? null : window.to(), window != null, request.granularity(), request.aggregation(),
                request.confidence(), settings);
        List<QueryPoint> points = queries.points(tenant, query).stream()
                .map(point -> QueryPoint.of(point, query.granularity())).toList();
        return new QueryResponse(definition.kpi(), points, contract.name(), query.granularity(), query.aggregation(),
                query.aggregation() == Aggregation.AVG ? query.confidence() : null,
                new WindowView(query.window().from(), query.window().to()));
    }
}
