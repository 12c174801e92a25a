package io.qnsp.billing.account.web;

import io.qnsp.billing.BillingScopes;
import io.qnsp.billing.account.Account;
import io.qnsp.billing.account.AccountManagement;
import io.qnsp.billing.account.OperatorRequired;
import io.qnsp.billing.account.TenantVisibility;
import io.qnsp.billing.payment.PaymentCollection;
import io.qnsp.billing.pricing.PriceBook;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's billing account: its plan and status (set by the operator), and its payment method (set by the tenant or
 * the operator). Another tenant's account answers 404 unless the caller is the platform operator.
 */
@Tag(name = "Accounts")
@RestController
@RequestMapping("/billing/v1/accounts")
class AccountController {

    static final List<String> STATUSES = List.of(Account.ACTIVE, Account.SUSPENDED, Account.CANCELLED);

    record AccountView(String tenantId, String plan,
                       @Schema(allowableValues = {"active", "suspended", "cancelled"}) String status,
                       @Schema(description = "why the status last changed: dunning, payment or operator")
                       @Nullable String statusReason, @Nullable Instant statusChangedAt,
                       @Schema(description = "the payment method charged; with the test provider, one of its test "
                               + "methods") @Nullable String paymentMethod,
                       String paymentProvider,
                       @Schema(description = "true when the payment provider moves no money") boolean testMode,
                       String currency) {
    }

    record UpdateAccountRequest(@Schema(description = "a plan of the price book; platform operator only")
                                @Nullable String plan,
                                @Schema(description = "the payment method to charge from now on")
                                @Nullable String paymentMethod,
                                @Schema(allowableValues = {"active", "suspended", "cancelled"},
                                        description = "platform operator only") @Nullable String status) {
    }

    private final AccountManagement accounts;
    private final TenantVisibility visibility;
    private final PaymentCollection payments;
    private final PriceBook prices;

    AccountController(AccountManagement accounts, TenantVisibility visibility, PaymentCollection payments,
                      PriceBook prices) {
        this.accounts = accounts;
        this.visibility = visibility;
        this.payments = payments;
        this.prices = prices;
    }

    @Operation(summary = "Get a tenant's billing account", operationId = "getBillingAccount",
            description = "The caller's own tenant (as it would be created, when billing has not heard of it yet), "
                    + "or any known tenant for the platform operator (role platform_admin). Needs billing:read.")
    @GetMapping("/{tenantId}")
    @RequiredControls(scopes = BillingScopes.READ)
    AccountView get(Caller caller, @PathVariable String tenantId) {
        visibility.requireVisible(caller, tenantId);
        return view(accounts.findOrDefault(tenantId));
    }

    @Operation(summary = "Update a tenant's billing account", operationId = "updateBillingAccount",
            description = "Sets the fields given. paymentMethod may be set by the tenant itself; plan and status only "
                    + "by the platform operator (403 for anyone else). A new plan prices the open invoice from its "
                    + "first unit. A status set by the operator stays until the operator changes it (a payment does "
                    + "not lift an operator's suspension). Needs billing:write.")
    @FailureResponse(status = 403, description = "A plan or status change by someone other than the platform operator")
    @PutMapping("/{tenantId}")
    @RequiredControls(scopes = BillingScopes.WRITE, audit = "billing.account.updated", resourceType = "account",
            resourceId = "#tenantId")
    AccountView update(Caller caller, @PathVariable String tenantId, @RequestBody UpdateAccountRequest request) {
        visibility.requireActingFor(caller, tenantId);
        boolean operator = TenantVisibility.isOperator(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.plan() == null && request.paymentMethod() == null && request.status() == null) {
            problems.add("plan", "give at least one of plan, paymentMethod and status");
        }
        if (request.plan() != null && !prices.hasPlan(request.plan())) {
            problems.add("plan", "must be one of " + prices.plans().keySet());
        }
        if (request.paymentMethod() != null) {
            String problem = request.paymentMethod().isBlank() || request.paymentMethod().length() > 200
                    ? "must be 1 to 200 characters" : payments.provider().problemWith(request.paymentMethod());
            if (problem != null) {
                problems.add("paymentMethod", problem);
            }
        }
        if (request.status() != null && !STATUSES.contains(request.status())) {
            problems.add("status", "must be one of " + STATUSES);
        }
        problems.throwIfAny();
        if ((request.plan() != null || request.status() != null) && !operator) {
            throw new OperatorRequired(request.plan() != null ? "a plan" : "an account's status");
        }
        if (request.plan() != null) {
            accounts.changePlan(tenantId, request.plan());
        }
        if (request.paymentMethod() != null) {
            accounts.changePaymentMethod(tenantId, request.paymentMethod());
        }
        if (request.status() != null) {
            accounts.changeStatus(tenantId, request.status(), caller.principal());
        }
        return view(accounts.find(tenantId).orElseThrow());
    }

    private AccountView view(Account account) {
        return new AccountView(account.tenantId(), account.plan(), account.status(), account.statusReason(),
                account.statusChangedAt(), account.paymentMethod(), payments.provider().name(),
                payments.provider().testMode(), prices.currency());
    }
}
