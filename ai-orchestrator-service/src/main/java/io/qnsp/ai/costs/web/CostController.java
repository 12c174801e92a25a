package io.qnsp.ai.costs.web;

import io.qnsp.ai.AiScopes;
import io.qnsp.ai.costs.CostAnalytics;
import io.qnsp.ai.costs.UsageRecord;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cost optimization: usage recorded for the tenant's models (the one endpoint here the API reference does not
 * list; the figures below are computed from it), cost analytics and recommendations.
 */
@Tag(name = "Cost Optimization")
@RestController
class CostController {

    static final int MAX_TEXT = 200;
    static final Duration MAX_BACKDATE = Duration.ofDays(400);
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{16,128}");

    record RecordUsageRequest(@Nullable String modelId, @Nullable String deploymentId,
                              @Schema(description = "who the inference was for; the caller when absent")
                              @Nullable String userId,
                              @Nullable Long inputTokens, @Nullable Long outputTokens, @Nullable Long latencyMs,
                              @Schema(description = "what the provider charged, in the platform's currency")
                              @Nullable BigDecimal cost,
                              @Schema(description = "a hex hash of the prompt (e.g. SHA-256), to recognize repeats "
                                      + "without storing the prompt") @Nullable String promptHash,
                              @Schema(description = "when the inference ran; now when absent, at most 400 days ago")
                              @Nullable Instant occurredAt) {
    }

    record UsageRecorded(String usageId, String modelId, Instant occurredAt) {
    }

    record CategoryBody(String category, BigDecimal cost, long tokenCount, long requests, double averageLatencyMs) {
    }

    record TrendBody(@Schema(description = "the cost of the period of the same length just before")
                     BigDecimal previousPeriodCost, BigDecimal change,
                     @Schema(description = "null when the previous period cost nothing") @Nullable Double changePercent,
                     @Schema(allowableValues = {"up", "down", "flat"}) String direction) {
    }

    record CostAnalyticsBody(BigDecimal totalCost, String currency, List<CategoryBody> breakdown, TrendBody trend,
                             String period, String groupBy, Instant from, Instant to, long tokenCount,
                             long requests) {
    }

    record RecommendationBody(String recommendationId,
                              @Schema(allowableValues = {"model_switch", "batch_optimization", "caching"}) String type,
                              String title, BigDecimal estimatedSavings,
                              @Schema(allowableValues = {"pending", "accepted", "rejected"}) String status,
                              String modelId, @Schema(description = "how the saving was computed") String method) {
    }

    record RecommendationsBody(List<RecommendationBody> recommendations) {
    }

    private final CostAnalytics analytics;
    private final Clock clock;

    CostController(CostAnalytics analytics, Clock clock) {
        this.analytics = analytics;
        this.clock = clock;
    }

    @Operation(summary = "Record model usage", operationId = "recordUsage",
            description = "Needs ai:write. One inference served by one of the tenant's models, as the caller that "
                    + "ran it measured it: tokens, latency and cost. Cost analytics and recommendations are "
                    + "computed from these records. Not in the API reference: the source of the cost figures.")
    @PostMapping("/ai/v1/usage")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = AiScopes.WRITE, audit = "ai.usage.recorded", resourceType = "model",
            resourceId = "#request?.modelId()")
    UsageRecorded record(Caller caller, @RequestBody RecordUsageRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.modelId() == null || request.modelId().isBlank()) {
            problems.add("modelId", "is required");
        }
        String deployment = request.deploymentId() == null || request.deploymentId().isBlank() ? null
                : request.deploymentId().strip();
        String user = request.userId() == null || request.userId().isBlank() ? caller.principal()
                : request.userId().strip();
        if (user != null && user.length() > MAX_TEXT) {
            problems.add("userId", "must be at most " + MAX_TEXT + " characters");
        }
        long input = count(request.inputTokens(), "inputTokens", problems);
        long output = count(request.outputTokens(), "outputTokens", problems);
        long latency = count(request.latencyMs(), "latencyMs", problems);
        if (request.cost() == null) {
            problems.add("cost", "is required");
        } else if (request.cost().signum() < 0 || request.cost().compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            problems.add("cost", "must be from 0 to 1000000");
        }
        if (request.promptHash() != null && !HASH.matcher(request.promptHash()).matches()) {
            problems.add("promptHash", "must be 16 to 128 hexadecimal characters");
        }
        Instant now = clock.instant();
        if (request.occurredAt() != null && (request.occurredAt().isAfter(now.plusSeconds(60))
                || request.occurredAt().isBefore(now.minus(MAX_BACKDATE)))) {
            problems.add("occurredAt", "must lie between 400 days ago and now");
        }
        problems.throwIfAny();
        UsageRecord recorded = analytics.record(tenant, new CostAnalytics.NewUsage(request.modelId().strip(),
                deployment, user == null ? "unknown" : user, input, output, latency, request.cost(),
                request.promptHash() == null ? null : request.promptHash().toLowerCase(java.util.Locale.ROOT),
                request.occurredAt()));
        return new UsageRecorded(recorded.usageId().toString(), recorded.modelId().toString(), recorded.occurredAt());
    }

    @Operation(summary = "Get cost analytics", operationId = "getCostAnalytics",
            description = "Needs ai:read. From the usage recorded in the period ending now: the total cost, a "
                    + "breakdown by model (name@version), user, deployment or UTC day, most expensive first, and the "
                    + "trend against the period of the same length before it.")
    @GetMapping("/ai/v1/costs/analytics")
    @RequiredControls(scopes = AiScopes.READ, audit = "ai.costs.analytics.read")
    CostAnalyticsBody costAnalytics(Caller caller,
                                    @Parameter(description = "e.g. 24h, 7d, 30d (the default); at most 366d")
                                    @RequestParam(required = false) @Nullable String period,
                                    @Parameter(description = "model (the default), user, deployment or day")
                                    @RequestParam(required = false) @Nullable String groupBy) {
        String tenant = TenantRequired.tenantOf(caller);
        String periodText = period == null || period.isBlank() ? CostAnalytics.DEFAULT_PERIOD : period.strip();
        String grouping = groupBy == null || groupBy.isBlank() ? "model" : groupBy.strip();
        InvalidField.Problems problems = new InvalidField.Problems();
        Duration duration = null;
        try {
            duration = CostAnalytics.period(periodText);
        } catch (InvalidField invalid) {
            problems.addAll(invalid);
        }
        if (!CostAnalytics.GROUPINGS.contains(grouping)) {
            problems.add("groupBy", "must be one of " + CostAnalytics.GROUPINGS);
        }
        problems.throwIfAny();
        CostAnalytics.Analytics result = analytics.analytics(tenant, duration, grouping);
        return new CostAnalyticsBody(result.totalCost(), result.currency(), result.breakdown().stream()
                .map(c -> new CategoryBody(c.category(), c.cost(), c.tokenCount(), c.requests(), c.averageLatencyMs()))
                .toList(), new TrendBody(result.trend().previousPeriodCost(), result.trend().change(),
                result.trend().changePercent(), result.trend().direction()), periodText, grouping, result.from(),
                result.to(), result.tokenCount(), result.requests());
    }

    @Operation(summary = "List cost recommendations", operationId = "listCostRecommendations",
            description = "Needs ai:read. From the last 30 days of recorded usage, largest saving first: "
                    + "model_switch (tokens times the difference in measured cost per token to the cheapest active "
                    + "model of the same type), batch_optimization (the batch discount on the cost of many small "
                    + "requests) and caching (the cost of requests repeating a prompt the model already answered). "
                    + "Each names the method its figure comes from.")
    @GetMapping("/ai/v1/costs/recommendations")
    @RequiredControls(scopes = AiScopes.READ, audit = "ai.costs.recommendations.read")
    RecommendationsBody recommendations(Caller caller) {
        return new RecommendationsBody(analytics.recommendations(TenantRequired.tenantOf(caller)).stream()
                .map(r -> new RecommendationBody(r.recommendationId(), r.type(), r.title(), r.estimatedSavings(),
                        r.status(), r.modelId(), r.method())).toList());
    }

    private static long count(@Nullable Long value, String field, InvalidField.Problems problems) {
        if (value == null) {
            problems.add(field, "is required");
            return 0;
        }
        if (value < 0 || value > 100_000_000L) {
            problems.add(field, "must be from 0 to 100000000");
            return 0;
        }
        return value;
    }
}
