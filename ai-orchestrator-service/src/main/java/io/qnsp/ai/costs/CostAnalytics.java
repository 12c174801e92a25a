package io.qnsp.ai.costs;

import io.qnsp.ai.AiSettings;
import io.qnsp.ai.registry.Model;
import io.qnsp.ai.registry.ModelRegistry;
import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cost analytics and recommendations, computed from the usage recorded for the tenant's models (never from
 * assumed prices): totals and breakdowns over a period with its trend against the period before, and three kinds
 * of recommendation, each with the method described on {@link #recommendations}.
 */
@Service
public class CostAnalytics {

    public static final List<String> GROUPINGS = List.of("model", "user", "deployment", "day");
    public static final String DEFAULT_PERIOD = "30d";
    /** The window recommendations look at. */
    public static final Duration RECOMMENDATION_WINDOW = Duration.ofDays(30);
    private static final Pattern PERIOD = Pattern.compile("([1-9][0-9]{0,3})([hd])");
    private static final Duration MAX_PERIOD = Duration.ofDays(366);
    static final int SCALE = 6;

    private final UsageRecords usage;
    private final ModelRegistry registry;
    private final AiSettings settings;
    private final Clock clock;

    CostAnalytics(UsageRecords usage, ModelRegistry registry, AiSettings settings, Clock clock) {
        this.usage = usage;
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
    }

    public record NewUsage(String modelId, @Nullable String deploymentId, String userId, long inputTokens,
                           long outputTokens, long latencyMs, BigDecimal cost, @Nullable String promptHash,
                           @Nullable Instant occurredAt) {
    }

    /** Records usage of one of the tenant's models (and, when named, one of its deployments). */
    public UsageRecord record(String tenantId, NewUsage u) {
        Model model = registry.find(tenantId, u.modelId())
                .orElseThrow(() -> new InvalidField("modelId", "is not a model of this tenant"));
        UUID deployment = null;
        if (u.deploymentId() != null) {
            if (!registry.isDeploymentOf(tenantId, model.modelId(), u.deploymentId())) {
                throw new InvalidField("deploymentId", "is not a deployment of the model");
            }
            deployment = UUID.fromString(u.deploymentId());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UsageRecord record = new UsageRecord(UUID.randomUUID(), tenantId, model.modelId(), deployment, u.userId(),
                u.inputTokens(), u.outputTokens(), u.latencyMs(), u.cost(), u.promptHash(),
                u.occurredAt() == null ? now : u.occurredAt().truncatedTo(ChronoUnit.MICROS));
        usage.insert(record);
        return record;
    }

    /** A period such as {@code 24h} or {@code 30d} (at most 366 days), or an {@link InvalidField} naming it. */
    public static Duration period(String text) {
        Matcher matcher = PERIOD.matcher(text);
        if (!matcher.matches()) {
            throw new InvalidField("period", "must be a number of hours or days, e.g. 24h, 7d or 30d");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration period = matcher.group(2).equals("h") ? Duration.ofHours(amount) : Duration.ofDays(amount);
        if (period.compareTo(MAX_PERIOD) > 0) {
            throw new InvalidField("period", "must be at most 366 days");
        }
        return period;
    }

    public record Category(String category, BigDecimal cost, long tokenCount, long requests,
                           double averageLatencyMs) {
    }

    public record Trend(BigDecimal previousPeriodCost, BigDecimal change, @Nullable Double changePercent,
                        String direction) {
    }

    public record Analytics(Instant from, Instant to, BigDecimal totalCost, long tokenCount, long requests,
                            String currency, List<Category> breakdown, Trend trend) {
    }

    /**
     * The period ending now: total cost, tokens and requests, the breakdown by the grouping (most expensive first),
     * and the trend against the period of the same length just before it.
     */
    public Analytics analytics(String tenantId, Duration period, String groupBy) {
        Instant to = clock.instant();
        Instant from = to.minus(period);
        List<UsageRecord> current = usage.between(tenantId, from, to);
        List<UsageRecord> previous = usage.between(tenantId, from.minus(period), from);
        Map<UUID, Model> models = models(tenantId);
        Function<UsageRecord, String> key = switch (groupBy) {
            case "user" -> UsageRecord::userId;
            case "deployment" -> u -> u.deploymentId() == null ? "unassigned" : u.deploymentId().toString();
            case "day" -> u -> u.occurredAt().atOffset(ZoneOffset.UTC).toLocalDate().toString();
            default -> u -> models.containsKey(u.modelId()) ? models.get(u.modelId()).label() : u.modelId().toString();
        };
        Map<String, List<UsageRecord>> groups = new LinkedHashMap<>();
        for (UsageRecord u : current) {
            groups.computeIfAbsent(key.apply(u), k -> new ArrayList<>()).add(u);
        }
        List<Category> breakdown = new ArrayList<>();
        groups.forEach((category, records) -> breakdown.add(new Category(category, cost(records),
                records.stream().mapToLong(UsageRecord::tokens).sum(), records.size(),
                records.stream().mapToLong(UsageRecord::latencyMs).average().orElse(0))));
        breakdown.sort(Comparator.comparing(Category::cost).reversed().thenComparing(Category::category));
        BigDecimal total = cost(current);
        BigDecimal before = cost(previous);
        BigDecimal change = total.subtract(before);
        Double percent = before.signum() == 0 ? null
                : change.multiply(BigDecimal.valueOf(100)).divide(before, 2, RoundingMode.HALF_UP).doubleValue();
        String direction = change.signum() > 0 ? "up" : change.signum() < 0 ? "down" : "flat";
        return new Analytics(from, to, total, current.stream().mapToLong(UsageRecord::tokens).sum(), current.size(),
                settings.currency(), breakdown, new Trend(before, change, percent, direction));
    }

    public record Recommendation(String recommendationId, String type, String title, BigDecimal estimatedSavings,
                                 String status, String modelId, String method) {
    }

    /**
     * Recommendations from the last 30 days of usage, largest saving first:
     * <ul>
     *   <li>{@code model_switch}: for a model whose cost per token is above that of another active model of the
     *   same type that also served requests in the window, the saving is the first model's tokens times the
     *   difference in cost per token (the cheapest such model is proposed);</li>
     *   <li>{@code batch_optimization}: for a model with at least {@code batch-min-requests} requests of fewer
     *   than {@code small-request-tokens} tokens, the saving is {@code batch-discount} times the cost of those
     *   requests (what a provider's batch interface takes off);</li>
     *   <li>{@code caching}: for a model that received the same prompt (by its reported hash) more than once, the
     *   saving is the cost of every repeat after the first, which a response cache would have answered.</li>
     * </ul>
     * No recommendation is made without a saving. Each is {@code pending}: the platform has no way yet to accept
     * or reject one.
     */
    public List<Recommendation> recommendations(String tenantId) {
        Instant to = clock.instant();
        List<UsageRecord> window = usage.between(tenantId, to.minus(RECOMMENDATION_WINDOW), to);
        Map<UUID, Model> models = models(tenantId);
        Map<UUID, List<UsageRecord>> byModel = new LinkedHashMap<>();
        for (UsageRecord u : window) {
            byModel.computeIfAbsent(u.modelId(), k -> new ArrayList<>()).add(u);
        }
        List<Recommendation> recommendations = new ArrayList<>();
        byModel.forEach((modelId, records) -> {
            Model model = models.get(modelId);
            if (model == null) {
                return;
            }
            modelSwitch(tenantId, model, records, byModel, models).ifPresent(recommendations::add);
            batching(tenantId, model, records).ifPresent(recommendations::add);
            caching(tenantId, model, records).ifPresent(recommendations::add);
        });
        recommendations.sort(Comparator.comparing(Recommendation::estimatedSavings).reversed()
                .thenComparing(Recommendation::recommendationId));
        return recommendations;
    }

    private java.util.Optional<Recommendation> modelSwitch(String tenantId, Model model, List<UsageRecord> records,
                                                           Map<UUID, List<UsageRecord>> byModel,
                                                           Map<UUID, Model> models) {
        long tokens = records.stream().mapToLong(UsageRecord::tokens).sum();
        if (tokens == 0) {
            return java.util.Optional.empty();
        }
        BigDecimal perToken = perToken(cost(records), tokens);
        Model cheapest = null;
        BigDecimal cheapestPerToken = perToken;
        for (Map.Entry<UUID, List<UsageRecord>> other : byModel.entrySet()) {
            Model candidate = models.get(other.getKey());
            long otherTokens = other.getValue().stream().mapToLong(UsageRecord::tokens).sum();
            if (candidate == null || candidate.modelId().equals(model.modelId()) || otherTokens == 0
                    || !candidate.type().equals(model.type()) || !Model.ACTIVE.equals(candidate.status())) {
                continue;
            }
            BigDecimal candidatePerToken = perToken(cost(other.getValue()), otherTokens);
            if (candidatePerToken.compareTo(cheapestPerToken) < 0) {
                cheapest = candidate;
                cheapestPerToken = candidatePerToken;
            }
        }
        if (cheapest == null) {
            return java.util.Optional.empty();
        }
        BigDecimal savings = perToken.subtract(cheapestPerToken).multiply(BigDecimal.valueOf(tokens))
                .setScale(SCALE, RoundingMode.HALF_UP);
        if (savings.signum() <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Recommendation(id(tenantId, "model_switch", model, cheapest.modelId()),
                "model_switch", "Switch " + model.label() + " to " + cheapest.label(), savings, "pending",
                model.modelId().toString(), tokens + " tokens at " + per1k(perToken) + " per 1,000 tokens instead of "
                + per1k(cheapestPerToken) + " (" + cheapest.label() + ", same type, measured over the same window)"));
    }

    private java.util.Optional<Recommendation> batching(String tenantId, Model model, List<UsageRecord> records) {
        List<UsageRecord> small = records.stream().filter(u -> u.tokens() < settings.smallRequestTokens()).toList();
        if (small.size() < settings.batchMinRequests()) {
            return java.util.Optional.empty();
        }
        BigDecimal smallCost = cost(small);
        BigDecimal savings = smallCost.multiply(BigDecimal.valueOf(settings.batchDiscount()))
                .setScale(SCALE, RoundingMode.HALF_UP);
        if (savings.signum() <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Recommendation(id(tenantId, "batch_optimization", model, null),
                "batch_optimization", "Batch the small requests to " + model.label(), savings, "pending",
                model.modelId().toString(), small.size() + " requests under " + settings.smallRequestTokens()
                + " tokens cost " + smallCost.setScale(SCALE, RoundingMode.HALF_UP) + "; a batch interface takes "
                + settings.batchDiscount() + " of that off"));
    }

    private java.util.Optional<Recommendation> caching(String tenantId, Model model, List<UsageRecord> records) {
        Set<String> seen = new HashSet<>();
        List<UsageRecord> repeats = new ArrayList<>();
        for (UsageRecord u : records) {
            if (u.promptHash() != null && !seen.add(u.promptHash())) {
                repeats.add(u);
            }
        }
        BigDecimal savings = cost(repeats).setScale(SCALE, RoundingMode.HALF_UP);
        if (repeats.isEmpty() || savings.signum() <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Recommendation(id(tenantId, "caching", model, null), "caching",
                "Cache responses of " + model.label(), savings, "pending", model.modelId().toString(),
                repeats.size() + " requests repeated a prompt the model had already answered in the window; "
                        + "their cost is what a response cache saves"));
    }

    private Map<UUID, Model> models(String tenantId) {
        Map<UUID, Model> models = new HashMap<>();
        registry.models(tenantId).forEach(m -> models.put(m.modelId(), m));
        return models;
    }

    private static BigDecimal cost(List<UsageRecord> records) {
        return records.stream().map(UsageRecord::cost).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(SCALE, RoundingMode.HALF_UP);
    }

    private static BigDecimal perToken(BigDecimal cost, long tokens) {
        return cost.divide(BigDecimal.valueOf(tokens), 12, RoundingMode.HALF_UP);
    }

    private static BigDecimal per1k(BigDecimal perToken) {
        return perToken.multiply(BigDecimal.valueOf(1000)).setScale(SCALE, RoundingMode.HALF_UP);
    }

    /** The same recommendation keeps its id as usage accumulates. */
    private static String id(String tenantId, String type, Model model, @Nullable UUID alternative) {
        return UUID.nameUUIDFromBytes((tenantId + "|" + type + "|" + model.modelId() + "|" + alternative)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
