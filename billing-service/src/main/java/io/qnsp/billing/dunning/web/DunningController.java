package io.qnsp.billing.dunning.web;

import io.qnsp.billing.BillingScopes;
import io.qnsp.billing.account.TenantVisibility;
import io.qnsp.billing.dunning.DunningAction;
import io.qnsp.billing.dunning.DunningCase;
import io.qnsp.billing.dunning.DunningManagement;
import io.qnsp.billing.dunning.DunningSchedule;
import io.qnsp.billing.dunning.DunningStep;
import io.qnsp.billing.payment.Payment;
import io.qnsp.billing.payment.PaymentAttempt;
import io.qnsp.billing.payment.PaymentCollection;
import io.qnsp.billing.payment.PaymentNotFound;
import io.qnsp.billing.pricing.PriceBook;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
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

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Dunning: the schedules the platform operator configures per tenant, the failed payments with their retries and
 * the steps executed so far, and retrying a payment at once.
 */
@Tag(name = "Dunning")
@RestController
@RequestMapping("/billing/v1/dunning")
class DunningController {

    static final int MAX_PAGE = 500;

    record StepRequest(@Schema(description = "whole days after the payment first failed, 0 to 365")
                       @Nullable BigDecimal dayAfterFailure,
                       @Schema(allowableValues = {"email", "sms", "suspend", "cancel"}) @Nullable String action,
                       @Schema(description = "the notice's template; required for email and sms")
                       @Nullable String template) {
    }

    record ScheduleRequest(@Nullable String tenantId, @Nullable List<StepRequest> schedule) {
    }

    record StepView(int dayAfterFailure,
                    @Schema(allowableValues = {"email", "sms", "suspend", "cancel"}) String action,
                    @Nullable String template) {

        static StepView of(DunningStep step) {
            return new StepView(step.dayAfterFailure(), step.action(), step.template());
        }
    }

    record ScheduleCreated(UUID scheduleId, String tenantId, Instant createdAt,
                           @Schema(description = "the steps in the order they run") List<StepView> schedule) {
    }

    record ScheduleView(String tenantId,
                        @Schema(description = "null for the default schedule") @Nullable UUID scheduleId,
                        @Schema(description = "true when the operator configured none for the tenant")
                        boolean isDefault, List<StepView> schedule, @Nullable Instant createdAt) {
    }

    record AttemptView(int attempt, Instant attemptedAt,
                       @Schema(allowableValues = {"initial", "automatic_retry", "manual_retry"}) String trigger,
                       @Schema(allowableValues = {"succeeded", "declined", "transient_failure"}) String outcome,
                       @Schema(description = "the provider's reason for a failure") @Nullable String code,
                       String message) {

        static AttemptView of(PaymentAttempt a) {
            return new AttemptView(a.attemptNo(), a.attemptedAt(), a.trigger(), a.outcome(), a.code(), a.message());
        }
    }

    record ExecutedStep(int dayAfterFailure, String action, @Nullable String template, Instant dueAt,
                        Instant executedAt,
                        @Schema(description = "notice_published, tenant_suspended, tenant_not_active, "
                                + "tenant_cancelled or tenant_already_cancelled") String outcome) {

        static ExecutedStep of(DunningAction a) {
            return new ExecutedStep(a.dayAfterFailure(), a.action(), a.template(), a.dueAt(), a.executedAt(),
                    a.outcome());
        }
    }

    record DunningView(@Schema(description = "the schedule followed; null for the default") @Nullable UUID scheduleId,
                       List<StepView> schedule, Instant startedAt, List<ExecutedStep> executedSteps,
                       @Nullable Instant nextStepAt,
                       @Schema(description = "paid or cancelled once dunning ended") @Nullable String stopReason) {
    }

    record FailedPayment(UUID paymentId, String tenantId, BigDecimal amount, Instant failedAt,
                         @Schema(description = "attempts after the first") int retryCount,
                         @Schema(description = "the next automatic attempt; null when none is planned")
                         @Nullable Instant nextRetryAt,
                         String currency, UUID invoiceId, @Nullable String lastFailureCode, String provider,
                         List<AttemptView> attempts, @Nullable DunningView dunning) {
    }

    record FailedPaymentList(List<FailedPayment> failedPayments, long total, int limit, int offset) {
    }

    record RetryRequest(@Nullable String paymentId) {
    }

    record RetryResponse(UUID paymentId,
                         @Schema(allowableValues = {"pending", "succeeded", "failed"},
                                 description = "pending: the provider failed transiently (an automatic retry follows) "
                                         + "or another attempt is in progress") String status,
                         Instant retriedAt,
                         @Schema(description = "the provider's reason for a failure") @Nullable String code,
                         @Nullable String message, int retryCount, @Nullable Instant nextRetryAt) {
    }

    private final DunningManagement dunning;
    private final PaymentCollection payments;
    private final TenantVisibility visibility;
    private final PriceBook prices;

    DunningController(DunningManagement dunning, PaymentCollection payments, TenantVisibility visibility,
                      PriceBook prices) {
        this.dunning = dunning;
        this.payments = payments;
        this.visibility = visibility;
        this.prices = prices;
    }

    @Operation(summary = "Configure a tenant's dunning schedule", operationId = "configureDunningSchedule",
            description = "Platform operator only (role platform_admin). The steps run on their day after a payment "
                    + "first fails: email and sms publish a notice with the template on the billing-notices stream, "
                    + "suspend makes the gateway refuse the tenant's calls until it pays, cancel cancels the tenant "
                    + "and ends automatic retries. The schedule replaces the tenant's previous one for payments that "
                    + "fail from now on; a payment already failing keeps the schedule it started with. Needs "
                    + "billing:write.")
    @PostMapping("/schedule")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = BillingScopes.WRITE, roles = BillingScopes.PLATFORM_ADMIN,
            audit = "billing.dunning_schedule.configured", resourceType = "dunning_schedule",
            resourceId = "#result.scheduleId")
    ScheduleCreated configure(Caller caller, @RequestBody ScheduleRequest request) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.tenantId() == null) {
            problems.add("tenantId", "is required");
        } else if (!TenantVisibility.isTenantId(request.tenantId())) {
            problems.add("tenantId", "is not a tenant id");
        }
        List<DunningStep> steps = new ArrayList<>();
        List<StepRequest> given = request.schedule() == null ? List.of() : request.schedule();
        for (int i = 0; i < given.size(); i++) {
            StepRequest step = given.get(i);
            String at = "schedule[" + i + "]";
            if (step == null) {
                problems.add(at, "must be a step");
                continue;
            }
            Integer day = null;
            if (step.dayAfterFailure() == null) {
                problems.add(at + ".dayAfterFailure", "is required");
            } else if (step.dayAfterFailure().stripTrailingZeros().scale() > 0) {
                problems.add(at + ".dayAfterFailure", "must be a whole number of days");
            } else if (step.dayAfterFailure().signum() < 0 || step.dayAfterFailure().compareTo(BigDecimal.valueOf(365)) > 0) {
                problems.add(at + ".dayAfterFailure", "must be between 0 and 365");
            } else {
                day = step.dayAfterFailure().intValueExact();
            }
            if (step.action() == null) {
                problems.add(at + ".action", "is required");
            }
            if (day != null && step.action() != null) {
                steps.add(new DunningStep(day, step.action(), step.template()));
            }
        }
        problems.throwIfAny();
        // the rules every schedule follows (actions, templates, one suspend and one cancel) name schedule[i]
        DunningSchedule schedule = dunning.configure(request.tenantId(), steps, caller.principal());
        return new ScheduleCreated(schedule.scheduleId(), schedule.tenantId(), schedule.createdAt(),
                schedule.steps().stream().map(StepView::of).toList());
    }

    @Operation(summary = "Get a tenant's dunning schedule", operationId = "getDunningSchedule",
            description = "The schedule a payment of the tenant failing now would follow: the latest configured, or "
                    + "the default. Needs billing:read; another tenant is 404 unless the caller is the platform "
                    + "operator.")
    @GetMapping("/schedule/{tenantId}")
    @RequiredControls(scopes = BillingScopes.READ)
    ScheduleView schedule(Caller caller, @PathVariable String tenantId) {
        visibility.requireVisible(caller, tenantId);
        DunningSchedule schedule = dunning.scheduleFor(tenantId);
        return new ScheduleView(tenantId, schedule.scheduleId(), schedule.isDefault(),
                schedule.steps().stream().map(StepView::of).toList(), schedule.createdAt());
    }

    @Operation(summary = "List failed payments", operationId = "listFailedPayments",
            description = "Payments that failed and are still outstanding, most recent failure first, with every "
                    + "attempt and the dunning steps executed. The caller's own tenant's, or every tenant's for the "
                    + "platform operator (who may filter by tenantId). Needs billing:read.")
    @FailureResponse(status = 404, description = "tenantId names another tenant than the caller's (and the caller is "
            + "not the platform operator)")
    @GetMapping("/failed-payments")
    @RequiredControls(scopes = BillingScopes.READ, audit = "billing.failed_payments.read", resourceType = "payment")
    FailedPaymentList failedPayments(Caller caller,
                                     @Parameter(description = "only this tenant's (the platform operator's filter)")
                                     @RequestParam(required = false) @Nullable String tenantId,
                                     @Parameter(description = "1 to 500, 100 by default")
                                     @RequestParam(required = false) @Nullable Integer limit,
                                     @Parameter(description = "payments to skip, 0 by default")
                                     @RequestParam(required = false) @Nullable Integer offset) {
        String scope = tenantId;
        if (!TenantVisibility.isOperator(caller)) {
            if (tenantId != null) {
                visibility.requireActingFor(caller, tenantId);
            }
            scope = caller.tenantId();
            if (scope == null) {
                throw new PaymentNotFound();
            }
        }
        InvalidField.Problems problems = new InvalidField.Problems();
        int pageSize = limit == null ? 100 : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            problems.add("limit", "must be between 1 and " + MAX_PAGE);
        }
        int skip = offset == null ? 0 : offset;
        if (skip < 0) {
            problems.add("offset", "must not be negative");
        }
        problems.throwIfAny();
        List<Payment> failed = payments.failed(scope, pageSize, skip);
        List<UUID> ids = failed.stream().map(Payment::paymentId).toList();
        Map<UUID, List<PaymentAttempt>> attempts = payments.attempts(ids).stream()
                .collect(Collectors.groupingBy(PaymentAttempt::paymentId));
        Map<UUID, DunningCase> cases = dunning.cases(ids).stream()
                .collect(Collectors.toMap(DunningCase::paymentId, Function.identity()));
        List<FailedPayment> views = failed.stream().map(p -> new FailedPayment(p.paymentId(), p.tenantId(),
                prices.money(p.amount()), p.failedAt(), p.retryCount(), p.nextRetryAt(), p.currency(), p.invoiceId(),
                p.lastFailureCode(), p.provider(), attempts.getOrDefault(p.paymentId(), List.of()).stream()
                .map(AttemptView::of).toList(), dunningView(cases.get(p.paymentId())))).toList();
        return new FailedPaymentList(views, payments.countFailed(scope), pageSize, skip);
    }

    private @Nullable DunningView dunningView(@Nullable DunningCase dunningCase) {
        if (dunningCase == null) {
            return null;
        }
        return new DunningView(dunningCase.scheduleId(), dunningCase.steps().stream().map(StepView::of).toList(),
                dunningCase.startedAt(), dunningCase.actions().stream().map(ExecutedStep::of).toList(),
                dunning.nextStepAt(dunningCase), dunningCase.stopReason());
    }

    @Operation(summary = "Retry a failed payment", operationId = "retryPayment",
            description = "Charges the payment now with the tenant's current payment method. A success stops its "
                    + "dunning and restores a tenant its dunning suspended. The caller's own tenant's payments, or "
                    + "any for the platform operator. Needs billing:write.")
    @FailureResponse(status = 404, description = "No such payment, or another tenant's")
    @FailureResponse(status = 409, description = "The payment has succeeded already")
    @PostMapping("/retry")
    @RequiredControls(scopes = BillingScopes.WRITE, audit = "billing.payment.retried", resourceType = "payment",
            resourceId = "#request.paymentId")
    RetryResponse retry(Caller caller, @RequestBody RetryRequest request) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.paymentId() == null) {
            problems.add("paymentId", "is required");
        }
        UUID paymentId = problems.uuid(request.paymentId(), "paymentId");
        problems.throwIfAny();
        String visibleTenant = TenantVisibility.isOperator(caller) ? null : caller.tenantId();
        if (visibleTenant == null && !TenantVisibility.isOperator(caller)) {
            throw new PaymentNotFound();
        }
        PaymentCollection.Attempted attempted = payments.retry(paymentId, visibleTenant);
        Payment after = attempted.payment();
        return new RetryResponse(after.paymentId(), attempted.result().label, attempted.attemptedAt(),
                attempted.attempt() == null ? null : attempted.attempt().code(),
                attempted.attempt() == null ? "Another attempt of this payment is in progress"
                        : attempted.attempt().message(), after.retryCount(), after.nextRetryAt());
    }
}
