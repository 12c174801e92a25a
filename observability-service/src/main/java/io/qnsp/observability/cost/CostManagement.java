package io.qnsp.observability.cost;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Cost allocations and budgets. Recording an allocation checks, in the same transaction, every budget of the tenant
 * that covers it: each alert threshold the budget's spending crosses in the allocation's period is recorded once per
 * period and published as the audit event {@code observability.budget.threshold_breached}.
 */
@Service
public class CostManagement {

    static final String BREACHED = "observability.budget.threshold_breached";
    static final BigDecimal MAX_AMOUNT = new BigDecimal("100000000000000");
    static final int MAX_SCALE = 6;
    static final int MAX_TAGS = 50;
    static final int MAX_SCOPE = 100;
    static final int MAX_ALERTS = 10;
    /** The services the summary always names, whether or not anything was allocated to them. */
    static final List<String> CORE_SERVICES = List.of("kms", "vault", "storage");

    private final CostAllocations allocations;
    private final Budgets budgets;
    private final EventOutbox outbox;
    private final CostSettings settings;
    private final Clock clock;

    CostManagement(CostAllocations allocations, Budgets budgets, EventOutbox outbox, CostSettings settings,
                   Clock clock) {
        this.allocations = allocations;
        this.budgets = budgets;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
    }

    /** An allocation as the caller describes it. */
    public record AllocationDefinition(@Nullable String resourceId, @Nullable String resourceType,
                                       @Nullable String costCenter, @Nullable BigDecimal amount,
                                       @Nullable String currency, boolean periodGiven, @Nullable String periodStart,
                                       @Nullable String periodEnd, @Nullable Map<String, String> tags) {
    }

    /** A budget as the caller describes it. */
    public record BudgetDefinition(@Nullable String name, @Nullable BigDecimal amount, @Nullable String currency,
                                   @Nullable String period, @Nullable List<String> costCenters,
                                   @Nullable List<String> resourceTypes, @Nullable List<AlertDefinition> alerts) {
    }

    /** One alert of a budget as the caller describes it. */
    public record AlertDefinition(@Nullable BigDecimal threshold, @Nullable List<String> notificationChannels) {
    }

    /** The allocations a query found, with totals over all of them. */
    public record AllocationQuery(List<CostAllocation> allocations, BigDecimal totalAmount,
                                  Map<String, BigDecimal> byCostCenter) {
    }

    /**
     * The current calendar month's costs.
     *
     * @param period        the month, as {@code 2026-12}
     * @param byService     per platform service (kms, vault, storage always present)
     * @param change        percent against the previous month's total
     * @param direction     {@code up}, {@code down} or {@code stable}
     * @param budgetAlerts  alerts of budget periods overlapping the month
     */
    public record Summary(String period, BigDecimal totalCost, String currency, Map<String, BigDecimal> byService,
                          BigDecimal previousTotal, BigDecimal change, String direction,
                          List<BudgetAlert> budgetAlerts) {
    }

    /** Records the allocation and raises the alerts of the budgets it takes past a threshold. */
    @Transactional
    public CostAllocation record(String tenantId, AllocationDefinition definition, String recordedBy) {
        InvalidField.Problems problems = new InvalidField.Problems();
        problems.text(definition.resourceId(), "resourceId", 200, true);
        problems.text(definition.resourceType(), "resourceType", 100, true);
        problems.text(definition.costCenter(), "costCenter", 200, true);
        amount(definition.amount(), "amount", false, problems);
        currency(definition.currency(), problems);
        Instant start = null;
        Instant end = null;
        if (!definition.periodGiven()) {
            problems.add("period", "is required");
        } else {
            if (definition.periodStart() == null) {
                problems.add("period.start", "is required");
            }
            if (definition.periodEnd() == null) {
                problems.add("period.end", "is required");
            }
            start = Iso8601.parse(definition.periodStart(), "period.start", problems);
            end = Iso8601.parse(definition.periodEnd(), "period.end", problems);
            if (start != null && end != null && !end.isAfter(start)) {
                problems.add("period.end", "must be after period.start");
            }
        }
        Map<String, String> tags = definition.tags() == null ? Map.of() : definition.tags();
        if (tags.size() > MAX_TAGS) {
            problems.add("tags", "must hold at most " + MAX_TAGS + " tags");
        }
        tags.forEach((name, value) -> {
            if (name.isBlank() || name.length() > 100) {
                problems.add("tags", "names must be 1 to 100 characters");
            } else if (value == null || value.length() > 500) {
                problems.add("tags." + name, "must be text of at most 500 characters");
            }
        });
        problems.throwIfAny();
        CostAllocation allocation = new CostAllocation(UUID.randomUUID(), tenantId, definition.resourceId().strip(),
                definition.resourceType().strip(), definition.costCenter().strip(), definition.amount(),
                settings.currency(), start, end, new TreeMap<>(tags), recordedBy, clock.instant());
        allocations.insert(allocation);
        checkBudgets(allocation);
        return allocation;
    }

    /**
     * Allocates metered usage of the platform to the tenant's cost center for it, at the operation's list price: one
     * allocation per tenant, operation and day (UTC) that grows with each event, checked against the budgets like
     * any other. Answers the allocation, or nothing when the operation has no list price.
     */
    @Transactional
    public Optional<CostAllocation> allocateUsage(String tenantId, String operation, long quantity,
                                                          Instant at) {
        BigDecimal price = settings.unitPrices().get(operation);
        if (price == null || quantity <= 0) {
            return Optional.empty();
        }
        Instant day = at.truncatedTo(ChronoUnit.DAYS);
        Instant nextDay = day.plus(Duration.ofDays(1));
        UUID id = UUID.nameUUIDFromBytes(("usage|" + tenantId + "|" + operation + "|" + day)
                .getBytes(StandardCharsets.UTF_8));
        BigDecimal amount = price.multiply(BigDecimal.valueOf(quantity));
        CostAllocation usage = new CostAllocation(id, tenantId, operation, operation, settings.usageCostCenter(),
                amount, settings.currency(), day, nextDay,
                new TreeMap<>(Map.of("source", "usage", "operation", operation, "unitPrice", price.toPlainString(),
                        "quantity", Long.toString(quantity))), "observability-service", clock.instant());
        CostAllocation allocated = allocations.addUsage(usage, quantity);
        checkBudgets(allocated);
        return Optional.of(allocated);
    }

    /** Creates the tenant's budget; a budget without alerts alerts when its whole amount is spent. */
    @Transactional
    public Budget createBudget(String tenantId, BudgetDefinition definition, String createdBy) {
        InvalidField.Problems problems = new InvalidField.Problems();
        problems.text(definition.name(), "name", 200, true);
        amount(definition.amount(), "amount", true, problems);
        currency(definition.currency(), problems);
        BudgetPeriod period = null;
        if (definition.period() == null) {
            problems.add("period", "is required");
        } else {
            period = BudgetPeriod.named(definition.period()).orElse(null);
            if (period == null) {
                problems.add("period", "must be one of " + BudgetPeriod.NAMES);
            }
        }
        List<String> costCenters = scope(definition.costCenters(), "scope.costCenters", problems);
        List<String> resourceTypes = scope(definition.resourceTypes(), "scope.resourceTypes", problems);
        List<AlertDefinition> given = definition.alerts() == null ? List.of() : definition.alerts();
        if (given.size() > MAX_ALERTS) {
            problems.add("alerts", "must hold at most " + MAX_ALERTS + " alerts");
        }
        List<Budget.Alert> alerts = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            AlertDefinition alert = given.get(i);
            String field = "alerts[" + i + "]";
            if (alert == null || alert.threshold() == null) {
                problems.add(field + ".threshold", "is required");
                continue;
            }
            if (alert.threshold().signum() <= 0 || alert.threshold().compareTo(new BigDecimal("1000")) > 0
                    || alert.threshold().stripTrailingZeros().scale() > 2) {
                problems.add(field + ".threshold", "must be a percentage above 0 and at most 1000, with at most two "
                        + "decimals");
                continue;
            }
            List<String> channels = scope(alert.notificationChannels(), field + ".notificationChannels", problems);
            BigDecimal threshold = alert.threshold().stripTrailingZeros();
            if (alerts.stream().anyMatch(a -> a.threshold().compareTo(threshold) == 0)) {
                problems.add(field + ".threshold", "is given twice");
                continue;
            }
            alerts.add(new Budget.Alert(threshold, channels));
        }
        problems.throwIfAny();
        if (alerts.isEmpty()) {
            alerts.add(new Budget.Alert(new BigDecimal("100"), List.of()));
        }
        alerts.sort(Comparator.comparing(Budget.Alert::threshold));
        String name = definition.name().strip();
        if (budgets.nameTaken(tenantId, name)) {
            throw new BudgetNameTaken(name);
        }
        Budget budget = new Budget(UUID.randomUUID(), tenantId, name, definition.amount().stripTrailingZeros(),
                settings.currency(), period, costCenters, resourceTypes, List.copyOf(alerts), createdBy,
                clock.instant());
        budgets.insert(budget);
        return budget;
    }

    /** The tenant's allocations matching the filters, with their total and totals per cost center. */
    public AllocationQuery allocations(String tenantId, @Nullable String costCenter, @Nullable String resourceType,
                                       @Nullable String startTime, @Nullable String endTime, int limit) {
        InvalidField.Problems problems = new InvalidField.Problems();
        Instant from = Iso8601.parse(startTime, "startTime", problems);
        Instant to = Iso8601.parse(endTime, "endTime", problems);
        if (from != null && to != null && !to.isAfter(from)) {
            problems.add("endTime", "must be after startTime");
        }
        problems.throwIfAny();
        CostAllocations.Filter filter = new CostAllocations.Filter(blankToNull(costCenter),
                blankToNull(resourceType), from, to);
        Map<String, BigDecimal> byCostCenter = new LinkedHashMap<>();
        allocations.totalsByCostCenter(tenantId, filter).forEach((center, total) ->
                byCostCenter.put(center, total.stripTrailingZeros()));
        BigDecimal total = byCostCenter.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return new AllocationQuery(allocations.matching(tenantId, filter, limit), total.stripTrailingZeros(),
                byCostCenter);
    }

    /** The current calendar month's costs, per service, against the month before. */
    public Summary summary(String tenantId) {
        YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        BudgetPeriod.Span current = span(month);
        BudgetPeriod.Span previous = span(month.minusMonths(1));
        Map<String, BigDecimal> byService = new TreeMap<>();
        CORE_SERVICES.forEach(service -> byService.put(service, BigDecimal.ZERO));
        allocations.totalsByResourceType(tenantId, current.start(), current.end()).forEach((type, amount) ->
                byService.merge(CostAllocation.serviceOf(type), amount, BigDecimal::add));
        byService.replaceAll((service, amount) -> amount.stripTrailingZeros());
        BigDecimal total = byService.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal before = allocations.totalsByResourceType(tenantId, previous.start(), previous.end()).values()
                .stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal change = before.signum() == 0 ? (total.signum() == 0 ? BigDecimal.ZERO : new BigDecimal("100"))
                : total.subtract(before).multiply(new BigDecimal("100")).divide(before, 2, RoundingMode.HALF_EVEN);
        String direction = change.abs().compareTo(settings.stableChangePercent()) <= 0 ? "stable"
                : change.signum() > 0 ? "up" : "down";
        return new Summary(month.toString(), total.stripTrailingZeros(), settings.currency(), byService,
                before.stripTrailingZeros(), change.stripTrailingZeros(), direction,
                budgets.alertsOverlapping(tenantId, current));
    }

    private void checkBudgets(CostAllocation allocation) {
        for (Budget budget : budgets.ofTenantLocked(allocation.tenantId())) {
            if (!budget.covers(allocation.costCenter(), allocation.resourceType())) {
                continue;
            }
            BudgetPeriod.Span span = budget.period().containing(allocation.periodStart());
            BigDecimal spent = allocations.spent(budget, span);
            for (Budget.Alert alert : budget.alerts()) {
                BigDecimal limit = budget.amount().multiply(alert.threshold()).divide(new BigDecimal("100"));
                if (spent.compareTo(limit) < 0) {
                    break;
                }
                BudgetAlert breached = new BudgetAlert(UUID.randomUUID(), budget.tenantId(), budget.budgetId(),
                        budget.name(), alert.threshold(), span.start(), span.end(), spent.stripTrailingZeros(),
                        budget.amount(), clock.instant());
                if (budgets.insertAlert(breached)) {
                    outbox.append(breachedEvent(budget, alert, breached, allocation));
                }
            }
        }
    }

    private static AuditEvent breachedEvent(Budget budget, Budget.Alert alert, BudgetAlert breached,
                                            CostAllocation allocation) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("budgetName", budget.name());
        details.put("threshold", alert.threshold().toPlainString());
        details.put("spent", breached.spent().toPlainString());
        details.put("budgetAmount", budget.amount().toPlainString());
        details.put("currency", budget.currency());
        details.put("periodStart", breached.periodStart().toString());
        details.put("periodEnd", breached.periodEnd().toString());
        details.put("allocationId", allocation.allocationId().toString());
        details.put("alertId", breached.alertId().toString());
        if (!alert.notificationChannels().isEmpty()) {
            details.put("notificationChannels", String.join(",", alert.notificationChannels()));
        }
        return new AuditEvent(UUID.randomUUID(), breached.breachedAt(), budget.tenantId(), allocation.recordedBy(),
                BREACHED, "budget", budget.budgetId().toString(), "success", "allocation-" + allocation.allocationId(),
                "observability-service", details);
    }

    private static BudgetPeriod.Span span(YearMonth month) {
        return new BudgetPeriod.Span(month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    private void currency(@Nullable String currency, InvalidField.Problems problems) {
        if (currency == null) {
            problems.add("currency", "is required");
        } else if (!settings.currency().equals(currency)) {
            problems.add("currency", "must be " + settings.currency() + ", the platform's currency");
        }
    }


    private static void amount(@Nullable BigDecimal amount, String field, boolean positive,
                               InvalidField.Problems problems) {
        if (amount == null) {
            problems.add(field, "is required");
        } else if (positive ? amount.signum() <= 0 : amount.signum() < 0) {
            problems.add(field, positive ? "must be greater than 0" : "must not be negative");
        } else if (amount.compareTo(MAX_AMOUNT) >= 0 || amount.stripTrailingZeros().scale() > MAX_SCALE) {
            problems.add(field, "must be below " + MAX_AMOUNT.toPlainString() + " with at most " + MAX_SCALE
                    + " decimals");
        }
    }

    private static List<String> scope(@Nullable List<String> values, String field, InvalidField.Problems problems) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_SCOPE) {
            problems.add(field, "must hold at most " + MAX_SCOPE + " entries");
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || values.get(i).isBlank() || values.get(i).length() > 200) {
                problems.add(field + "[" + i + "]", "must be 1 to 200 characters");
            }
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).distinct().toList();
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
