package io.qnsp.search.analytics.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.search.SearchScopes;
import io.qnsp.search.analytics.SearchAnalytics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Analytics of the caller's tenant's queries over a period up to now. */
@Tag(name = "Search analytics")
@RestController
@RequestMapping("/search/v1/analytics")
class AnalyticsController {

    private static final Pattern PERIOD = Pattern.compile("(\\d{1,4})([hd])");
    private static final Duration MAX_PERIOD = Duration.ofDays(366);
    private static final String PERIOD_DOC = "the period up to now: a number of hours or days, e.g. 1h, 24h, 7d, "
            + "30d (at most 366d); 24h by default";

    record AnalyticsMetrics(@Schema(description = "the period as asked, e.g. 24h") String period,
                            long totalQueries,
                            @Schema(description = "mean time to search the index, in milliseconds")
                            double averageLatencyMs,
                            @Schema(description = "99th percentile of that time, in milliseconds")
                            double p99LatencyMs,
                            @Schema(description = "share of the queries that found nothing, 0 to 1")
                            double zeroResultsRate, Instant from, Instant to) {
    }

    record AnalyticsQuality(@Schema(description = "mean over the queries that found something of 1 / the position "
            + "of the first clicked result (0 for no click)") double meanReciprocalRank,
                            @Schema(description = "share of the queries that found something with a click")
                            double clickThroughRate,
                            @Schema(description = "share of the queries that found something which were clicked "
                                    + "and not followed by another query of the same caller within the "
                                    + "reformulation window") double satisfactionScore,
                            @Schema(description = "share of all queries without any click")
                            double abandonmentRate,
                            String period, long queriesWithResults, long clickedQueries, Instant from, Instant to) {
    }

    private final SearchAnalytics analytics;

    AnalyticsController(SearchAnalytics analytics) {
        this.analytics = analytics;
    }

    @Operation(summary = "Get aggregated analytics metrics", operationId = "getSearchAnalyticsMetrics",
            description = "Over the tenant's queries of the period: how many, their latency (mean and p99) and the "
                    + "share that found nothing. Needs search:read.")
    @GetMapping("/metrics")
    @RequiredControls(scopes = SearchScopes.READ, audit = "search.analytics_metrics.read", resourceType = "analytics")
    AnalyticsMetrics metrics(Caller caller, @Parameter(description = PERIOD_DOC)
                             @RequestParam(required = false) @Nullable String period) {
        String tenant = TenantRequired.tenantOf(caller);
        String label = period == null ? "24h" : period.strip();
        Duration length = period(label);
        SearchAnalytics.Metrics metrics = analytics.metrics(tenant, analytics.now().minus(length));
        return new AnalyticsMetrics(label, metrics.totalQueries(), metrics.averageLatencyMs(),
                metrics.p99LatencyMs(), metrics.zeroResultsRate(), metrics.from(), metrics.to());
    }

    @Operation(summary = "Get search quality metrics", operationId = "getSearchQualityMetrics",
            description = "From the clicks recorded on the results of the tenant's queries of the period: mean "
                    + "reciprocal rank, click-through, satisfaction (clicked and not reformulated) and abandonment. "
                    + "Needs search:read.")
    @GetMapping("/quality")
    @RequiredControls(scopes = SearchScopes.READ, audit = "search.analytics_quality.read", resourceType = "analytics")
    AnalyticsQuality quality(Caller caller, @Parameter(description = PERIOD_DOC)
                             @RequestParam(required = false) @Nullable String period) {
        String tenant = TenantRequired.tenantOf(caller);
        String label = period == null ? "24h" : period.strip();
        Duration length = period(label);
        SearchAnalytics.Quality quality = analytics.quality(tenant, analytics.now().minus(length));
        return new AnalyticsQuality(quality.meanReciprocalRank(), quality.clickThroughRate(),
                quality.satisfactionScore(), quality.abandonmentRate(), label, quality.queriesWithResults(),
                quality.clickedQueries(), quality.from(), quality.to());
    }

    private static Duration period(String text) {
        Matcher matcher = PERIOD.matcher(text);
        if (!matcher.matches()) {
            throw new InvalidField("period", "must be a number of hours or days such as 24h or 7d");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration length = "h".equals(matcher.group(2)) ? Duration.ofHours(amount) : Duration.ofDays(amount);
        if (length.isZero() || length.compareTo(MAX_PERIOD) > 0) {
            throw new InvalidField("period", "must be from 1h to 366d");
        }
        return length;
    }
}
