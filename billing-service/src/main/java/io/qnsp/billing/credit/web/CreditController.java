package io.qnsp.billing.credit.web;

import io.qnsp.billing.BillingScopes;
import io.qnsp.billing.account.TenantVisibility;
import io.qnsp.billing.credit.Credit;
import io.qnsp.billing.credit.CreditManagement;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Credits: granted to a tenant by the platform operator; spent on the tenant's invoices at finalization,
 * oldest-expiring first. The balance is the tenant's own (or, for the operator, any known tenant's).
 */
@Tag(name = "Credits")
@RestController
@RequestMapping("/billing/v1/credits")
class CreditController {

    record CreateCreditRequest(@Nullable String tenantId,
                               @Schema(description = "greater than 0, in whole minor units of the currency")
                               @Nullable BigDecimal amount,
                               @Schema(description = "ISO 4217; the price book's currency") @Nullable String currency,
                               @Schema(allowableValues = {"promotional", "refund", "goodwill", "referral"})
                               @Nullable String type,
                               @Schema(description = "ISO 8601; after it the credit can no longer be spent; null for "
                                       + "never") @Nullable String expiresAt,
                               @Nullable String reason) {
    }

    record CreditCreated(UUID creditId, BigDecimal amount, Instant createdAt, String tenantId, String currency,
                         String type, @Nullable Instant expiresAt) {
    }

    record ExpiringCredit(BigDecimal amount, Instant expiresAt, UUID creditId,
                          @Schema(allowableValues = {"promotional", "refund", "goodwill", "referral"}) String type) {
    }

    record CreditBalance(String tenantId,
                         @Schema(description = "what is left of the tenant's unexpired credits") BigDecimal balance,
                         String currency,
                         @Schema(description = "the part of the balance that expires, soonest first")
                         List<ExpiringCredit> expiringCredits) {
    }

    private final CreditManagement credits;
    private final TenantVisibility visibility;

    CreditController(CreditManagement credits, TenantVisibility visibility) {
        this.credits = credits;
        this.visibility = visibility;
    }

    @Operation(summary = "Create a credit for a tenant", operationId = "createCredit",
            description = "Platform operator only (role platform_admin). The credit is spent on the tenant's next "
                    + "invoices before anything is charged, credits that expire soonest first. Needs billing:write.")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = BillingScopes.WRITE, roles = BillingScopes.PLATFORM_ADMIN,
            audit = "billing.credit.created", resourceType = "credit", resourceId = "#result.creditId")
    CreditCreated create(Caller caller, @RequestBody CreateCreditRequest request) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.tenantId() == null) {
            problems.add("tenantId", "is required");
        } else if (!TenantVisibility.isTenantId(request.tenantId())) {
            problems.add("tenantId", "is not a tenant id");
        }
        if (request.amount() == null) {
            problems.add("amount", "is required");
        }
        if (request.currency() == null) {
            problems.add("currency", "is required");
        }
        if (request.type() == null) {
            problems.add("type", "is required");
        } else if (!Credit.TYPES.contains(request.type())) {
            problems.add("type", "must be one of " + Credit.TYPES);
        }
        Instant expiresAt = Instants.parse(request.expiresAt(), "expiresAt", problems);
        if (request.reason() == null || request.reason().isBlank()) {
            problems.add("reason", "is required");
        } else if (request.reason().length() > 500) {
            problems.add("reason", "must be at most 500 characters");
        }
        problems.throwIfAny();
        Credit credit = credits.grant(request.tenantId(), request.amount(), request.currency(), request.type(),
                expiresAt, request.reason().strip(), caller.principal(), null);
        return new CreditCreated(credit.creditId(), credit.amount(), credit.createdAt(), credit.tenantId(),
                credit.currency(), credit.type(), credit.expiresAt());
    }

    @Operation(summary = "Get a tenant's credit balance", operationId = "getCreditBalance",
            description = "What is left of the tenant's credits that have not expired, and the credits among them "
                    + "that expire, soonest first. Needs billing:read; another tenant is 404 unless the caller is the "
                    + "platform operator.")
    @GetMapping("/balance/{tenantId}")
    @RequiredControls(scopes = BillingScopes.READ, audit = "billing.credit_balance.read", resourceType = "account",
            resourceId = "#tenantId")
    CreditBalance balance(Caller caller, @PathVariable String tenantId) {
        visibility.requireVisible(caller, tenantId);
        CreditManagement.Balance balance = credits.balance(tenantId);
        return new CreditBalance(balance.tenantId(), balance.balance(), balance.currency(), balance.expiring().stream()
                .map(e -> new ExpiringCredit(e.amount(), e.expiresAt(), e.creditId(), e.type())).toList());
    }
}
