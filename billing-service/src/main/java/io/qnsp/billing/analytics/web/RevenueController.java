package io.qnsp.billing.analytics.web;

import io.qnsp.billing.BillingScopes;
import io.qnsp.billing.account.AccountNotFound;
import io.qnsp.billing.account.TenantVisibility;
import io.qnsp.billing.analytics.RevenueAnalytics;
import io.qnsp.billing.invoice.BillingPeriod;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Revenue from the invoices: the platform's for the operator (or one tenant's, with {@code tenantId}), and for any
 * other caller what its own tenant was charged.
 */
@Tag(name = "Revenue analytics")
@RestController
@RequestMapping("/billing/v1/analytics/revenue")
class RevenueController {

    record Growth(@Schema(description = "MRR's change from the period before, in percent; null when the period before "
            + "had none") @Nullable BigDecimal percentage,
                  @Schema(allowableValues = {"up", "down", "stable"}) String direction,
                  @Schema(description = "MRR of the period before") BigDecimal previousMrr) {
    }

    record RevenueSummary(@Schema(description = "the billing period, YYYY-MM") String period,
                          @Schema(description = "plan fees and usage charges less credits applied")
                          BigDecimal totalRevenue,
                          String currency,
                          @Schema(description = "the period's recurring charges: plan fees and usage, before "
                                  + "one-off credits") BigDecimal mrr,
                          @Schema(description = "12 × MRR") BigDecimal arr, Growth growth,
                          BigDecimal subscriptionRevenue, BigDecimal usageRevenue, BigDecimal creditsApplied,
                          long invoices,
                          @Schema(description = "false while the period is under way: its figures are to date")
                          boolean complete,
                          @Schema(description = "the tenant the figures are of; null for the whole platform")
                          @Nullable String tenantId) {
    }

    record ServiceRevenue(String service, BigDecimal revenue,
                          @Schema(description = "share of the period's charges, in percent") BigDecimal percentage,
                          @Schema(allowableValues = {"up", "down", "stable", "new"},
                                  description = "against the period before") String trend,
                          BigDecimal previousRevenue,
                          @Schema(description = "change in percent; null when the period before had none")
                          @Nullable BigDecimal changePercentage) {
    }

    record RevenueByService(List<ServiceRevenue> byService, String period, String currency, BigDecimal total,
                            @Nullable String tenantId) {
    }

    private final RevenueAnalytics analytics;
    private final TenantVisibility visibility;

    RevenueController(RevenueAnalytics analytics, TenantVisibility visibility) {
        this.analytics = analytics;
        this.visibility = visibility;
    }

    @Operation(summary = "Get the revenue summary", operationId = "getRevenueSummary",
            description = "Of a billing period (the last complete month by default), from the invoices: total "
                    + "revenue (fees and usage less credits), MRR (fees and usage), ARR (12 × MRR) and MRR's growth "
                    + "from the month before (stable within the configured band). The platform operator sees the "
                    + "whole platform, or one tenant with tenantId; anyone else their own tenant. Needs billing:read.")
    @FailureResponse(status = 404, description = "tenantId names another tenant than the caller's (and the caller is "
            + "not the platform operator)")
    @GetMapping("/summary")
    @RequiredControls(scopes = BillingScopes.READ, audit = "billing.revenue_summary.read", resourceType = "revenue")
    RevenueSummary summary(Caller caller,
                           @Parameter(description = "YYYY-MM, at most the current month; the last complete month by "
                                   + "default") @RequestParam(required = false) @Nullable String period,
                           @Parameter(description = "one tenant (the platform operator's filter)")
                           @RequestParam(required = false) @Nullable String tenantId) {
        String scope = scope(caller, tenantId);
        RevenueAnalytics.Summary summary = analytics.summary(scope, period(period));
        return new RevenueSummary(summary.period().toString(), summary.totalRevenue(), summary.currency(),
                summary.mrr(), summary.arr(), new Growth(summary.growth().percentage(), summary.growth().direction(),
                summary.growth().previousMrr()), summary.fees(), summary.usage(), summary.credits(),
                summary.invoices(), summary.complete(), scope);
    }

    @Operation(summary = "Get the revenue by service", operationId = "getRevenueByService",
            description = "The period's charges by the service that metered the usage (plan fees as "
                    + "\"subscriptions\"), largest first, with each one's share and trend against the month before. "
                    + "Credits are not attributed to services. Same scope as the summary. Needs billing:read.")
    @FailureResponse(status = 404, description = "tenantId names another tenant than the caller's (and the caller is "
            + "not the platform operator)")
    @GetMapping("/by-service")
    @RequiredControls(scopes = BillingScopes.READ, audit = "billing.revenue_by_service.read",
            resourceType = "revenue")
    RevenueByService byService(Caller caller,
                               @Parameter(description = "YYYY-MM, at most the current month; the last complete "
                                       + "month by default") @RequestParam(required = false) @Nullable String period,
                               @Parameter(description = "one tenant (the platform operator's filter)")
                               @RequestParam(required = false) @Nullable String tenantId) {
        String scope = scope(caller, tenantId);
        RevenueAnalytics.Breakdown breakdown = analytics.byService(scope, period(period));
        return new RevenueByService(breakdown.byService().stream().map(s -> new ServiceRevenue(s.service(),
                s.revenue(), s.percentage(), s.trend(), s.previousRevenue(), s.changePercentage())).toList(),
                breakdown.period().toString(), breakdown.currency(), breakdown.total(), scope);
    }

    /** Whose revenue: the operator's filter (null for all), or the caller's own tenant. */
    private @Nullable String scope(Caller caller, @Nullable String tenantId) {
        if (TenantVisibility.isOperator(caller)) {
            if (tenantId != null && !TenantVisibility.isTenantId(tenantId)) {
                throw new InvalidField("tenantId", "is not a tenant id");
            }
            return tenantId;
        }
        if (caller.tenantId() == null || (tenantId != null && !tenantId.equals(caller.tenantId()))) {
            throw new AccountNotFound();
        }
        return caller.tenantId();
    }

    private BillingPeriod period(@Nullable String text) {
        if (text == null) {
            return analytics.defaultPeriod();
        }
        YearMonth month;
        try {
            month = YearMonth.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidField("period", "must be a month as YYYY-MM, e.g. 2026-01");
        }
        if (month.isAfter(analytics.currentPeriod().month())) {
            throw new InvalidField("period", "must not be after the current month "
                    + analytics.currentPeriod());
        }
        if (month.getYear() < 2000) {
            throw new InvalidField("period", "must be 2000-01 or later");
        }
        return new BillingPeriod(month);
    }
}
