package io.qnsp.billing.credit.web;

import io.qnsp.billing.BillingScopes;
import io.qnsp.billing.account.TenantVisibility;
import io.qnsp.billing.credit.Promotion;
import io.qnsp.billing.credit.PromotionManagement;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Promotion codes: defined and listed by the platform operator, redeemed by a tenant at most once each for a
 * promotional credit.
 */
@Tag(name = "Promotions")
@RestController
@RequestMapping("/billing/v1/promotions")
class PromotionController {

    static final int MAX_PAGE = 100;

    record CreatePromotionRequest(@Schema(description = "3 to 64 of A-Z, 0-9, _ and -; matched without regard to case")
                                  @Nullable String code,
                                  @Nullable String description,
                                  @Schema(description = "the credit each redemption grants, in the price book's "
                                          + "currency") @Nullable BigDecimal creditAmount,
                                  @Schema(description = "redemptions over all tenants: 1 for a single-use code; null "
                                          + "for no limit") @Nullable Integer maxRedemptions,
                                  @Schema(description = "ISO 8601; the code is refused after it; null for never")
                                  @Nullable String expiresAt,
                                  @Schema(description = "days the granted credit lasts from its redemption; null for "
                                          + "no expiry") @Nullable Integer creditValidityDays) {
    }

    record PromotionView(UUID promotionId, String code, @Nullable String description, BigDecimal creditAmount,
                         String currency, @Nullable Integer maxRedemptions, int redemptions,
                         @Nullable Instant expiresAt, @Nullable Integer creditValidityDays, Instant createdAt) {

        static PromotionView of(Promotion p) {
            return new PromotionView(p.promotionId(), p.code(), p.description(), p.creditAmount(), p.currency(),
                    p.maxRedemptions(), p.redemptions(), p.expiresAt(), p.creditValidityDays(), p.createdAt());
        }
    }

    record PromotionList(List<PromotionView> promotions, long total, int limit, int offset) {
    }

    record RedeemRequest(@Nullable String tenantId, @Nullable String code) {
    }

    record RedeemResponse(boolean success,
                          @Schema(description = "the credit granted; 0 when the code was not redeemed")
                          BigDecimal creditAmount,
                          String message,
                          @Schema(allowableValues = {"redeemed", "unknown_code", "expired", "exhausted",
                                  "already_redeemed"}) String reason,
                          String currency,
                          @Schema(description = "the credit granted") @Nullable UUID creditId,
                          @Schema(description = "when the granted credit expires") @Nullable Instant creditExpiresAt) {
    }

    private final PromotionManagement promotions;
    private final TenantVisibility visibility;

    PromotionController(PromotionManagement promotions, TenantVisibility visibility) {
        this.promotions = promotions;
        this.visibility = visibility;
    }

    @Operation(summary = "Define a promotion code", operationId = "createPromotion",
            description = "Platform operator only (role platform_admin). Each tenant may redeem a code once; "
                    + "maxRedemptions limits redemptions over all tenants. Needs billing:write.")
    @FailureResponse(status = 409, description = "A promotion with this code exists")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = BillingScopes.WRITE, roles = BillingScopes.PLATFORM_ADMIN,
            audit = "billing.promotion.created", resourceType = "promotion", resourceId = "#result.promotionId")
    PromotionView create(Caller caller, @RequestBody CreatePromotionRequest request) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.code() == null) {
            problems.add("code", "is required");
        } else if (!PromotionManagement.CODE.matcher(PromotionManagement.normalize(request.code())).matches()) {
            problems.add("code", "must be 3 to 64 of A-Z, 0-9, _ and -, starting with a letter or digit");
        }
        if (request.description() != null && request.description().length() > 500) {
            problems.add("description", "must be at most 500 characters");
        }
        if (request.creditAmount() == null) {
            problems.add("creditAmount", "is required");
        }
        if (request.maxRedemptions() != null && request.maxRedemptions() < 1) {
            problems.add("maxRedemptions", "must be at least 1");
        }
        if (request.creditValidityDays() != null && (request.creditValidityDays() < 1
                || request.creditValidityDays() > 3660)) {
            problems.add("creditValidityDays", "must be between 1 and 3660");
        }
        Instant expiresAt = Instants.parse(request.expiresAt(), "expiresAt", problems);
        problems.throwIfAny();
        return PromotionView.of(promotions.define(request.code(), request.description(), request.creditAmount(),
                request.creditValidityDays(), request.maxRedemptions(), expiresAt, caller.principal()));
    }

    @Operation(summary = "List the promotion codes", operationId = "listPromotions",
            description = "Newest first, with how often each was redeemed. Platform operator only. Needs "
                    + "billing:read.")
    @GetMapping
    @RequiredControls(scopes = BillingScopes.READ, roles = BillingScopes.PLATFORM_ADMIN)
    PromotionList list(Caller caller,
                       @Parameter(description = "1 to 100, 50 by default") @RequestParam(required = false)
                       @Nullable Integer limit,
                       @Parameter(description = "codes to skip, 0 by default") @RequestParam(required = false)
                       @Nullable Integer offset) {
        InvalidField.Problems problems = new InvalidField.Problems();
        int pageSize = limit == null ? 50 : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            problems.add("limit", "must be between 1 and " + MAX_PAGE);
        }
        int skip = offset == null ? 0 : offset;
        if (skip < 0) {
            problems.add("offset", "must not be negative");
        }
        problems.throwIfAny();
        return new PromotionList(promotions.list(pageSize, skip).stream().map(PromotionView::of).toList(),
                promotions.count(), pageSize, skip);
    }

    @Operation(summary = "Redeem a promotion code", operationId = "redeemPromotion",
            description = "For the caller's own tenant (the platform operator may redeem for any). A code that "
                    + "cannot be redeemed (unknown, expired, used up, or redeemed by the tenant before) answers 200 "
                    + "with success false, creditAmount 0 and the reason. Needs billing:write.")
    @FailureResponse(status = 404, description = "The tenant is another than the caller's (and the caller is not the "
            + "platform operator)")
    @PostMapping("/redeem")
    @RequiredControls(scopes = BillingScopes.WRITE, audit = "billing.promotion.redeemed", resourceType = "promotion",
            resourceId = "#request.code")
    RedeemResponse redeem(Caller caller, @RequestBody RedeemRequest request) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.tenantId() == null) {
            problems.add("tenantId", "is required");
        }
        if (request.code() == null || request.code().isBlank()) {
            problems.add("code", "is required");
        } else if (request.code().length() > 64) {
            problems.add("code", "must be at most 64 characters");
        }
        problems.throwIfAny();
        visibility.requireActingFor(caller, request.tenantId());
        PromotionManagement.Redemption redemption = promotions.redeem(request.tenantId(), request.code(),
                caller.principal());
        return new RedeemResponse(redemption.success(), redemption.creditAmount(), redemption.message(),
                redemption.reason(), redemption.currency(),
                redemption.credit() == null ? null : redemption.credit().creditId(),
                redemption.credit() == null ? null : redemption.credit().expiresAt());
    }
}
