package io.qnsp.billing.account;

import io.qnsp.billing.pricing.PriceBook;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.web.RequestIds;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Accounts: created when billing first hears of a tenant, with the default plan; plans assigned by the operator;
 * the payment method; and the status, which dunning suspends or cancels and a successful payment restores. Every
 * status change leaves as a {@link TenantStatusChanged} on the {@code tenant-status} stream and as an audit event,
 * in the transaction that makes it.
 */
@Service
public class AccountManagement {

    static final String SERVICE = "billing-service";

    private static final Logger log = LoggerFactory.getLogger(AccountManagement.class);

    private final Accounts accounts;
    private final PriceBook prices;
    private final EventOutbox outbox;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AccountManagement(Accounts accounts, PriceBook prices, EventOutbox outbox, ApplicationEventPublisher events,
                      Clock clock) {
        this.accounts = accounts;
        this.prices = prices;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
    }

    /** The tenant's account, created with the default plan when billing has none yet. */
    @Transactional
    public Account ensure(String tenantId) {
        Optional<Account> existing = accounts.find(tenantId);
        if (existing.isPresent()) {
            return existing.get();
        }
        accounts.insertIfAbsent(tenantId, prices.defaultPlan(), clock.instant());
        return accounts.find(tenantId).orElseThrow();
    }

    public Optional<Account> find(String tenantId) {
        return accounts.find(tenantId);
    }

    /** The account as it would be created: for a tenant that billing has not heard of yet, nothing is stored. */
    public Account findOrDefault(String tenantId) {
        return accounts.find(tenantId).orElseGet(() -> {
            Instant now = clock.instant();
            return new Account(tenantId, prices.defaultPlan(), Account.ACTIVE, null, null, null, now, now);
        });
    }

    /** Moves the tenant to another plan; the open invoice is priced by the new plan. */
    @Transactional
    public Account changePlan(String tenantId, String plan) {
        if (!prices.hasPlan(plan)) {
            throw new UnknownPlan(prices.plans().keySet());
        }
        Account account = lock(tenantId);
        if (!account.plan().equals(plan)) {
            accounts.updatePlan(tenantId, plan, clock.instant());
            events.publishEvent(new AccountPlanChanged(tenantId, account.plan(), plan));
        }
        return accounts.find(tenantId).orElseThrow();
    }

    @Transactional
    public Account changePaymentMethod(String tenantId, String paymentMethod) {
        lock(tenantId);
        accounts.updatePaymentMethod(tenantId, paymentMethod, clock.instant());
        return accounts.find(tenantId).orElseThrow();
    }

    /** The operator sets the status directly; a tenant they suspend stays so until they restore it. */
    @Transactional
    public Account changeStatus(String tenantId, String status, String actor) {
        Account account = lock(tenantId);
        if (!account.status().equals(status)) {
            change(account, status, "operator", null, actor);
        }
        return accounts.find(tenantId).orElseThrow();
    }

    /** Dunning's suspend step: an active tenant is suspended; a suspended or cancelled one is left as it is. */
    @Transactional
    public boolean suspendForDunning(String tenantId, UUID paymentId) {
        Account account = lock(tenantId);
        if (!account.isActive()) {
            return false;
        }
        change(account, Account.SUSPENDED, "dunning", paymentId, SERVICE);
        return true;
    }

    /** Dunning's cancel step. */
    @Transactional
    public boolean cancelForDunning(String tenantId, UUID paymentId) {
        Account account = lock(tenantId);
        if (Account.CANCELLED.equals(account.status())) {
            return false;
        }
        change(account, Account.CANCELLED, "dunning", paymentId, SERVICE);
        return true;
    }

    /**
     * Restores a tenant that dunning suspended, once it owes nothing that keeps it suspended. A tenant the operator
     * suspended, or a cancelled one, is left as it is.
     */
    @Transactional
    public boolean reinstateAfterPayment(String tenantId, UUID paymentId) {
        Account account = lock(tenantId);
        if (!Account.SUSPENDED.equals(account.status()) || !"dunning".equals(account.statusReason())) {
            return false;
        }
        change(account, Account.ACTIVE, "payment", paymentId, SERVICE);
        return true;
    }

    private Account lock(String tenantId) {
        accounts.insertIfAbsent(tenantId, prices.defaultPlan(), clock.instant());
        return accounts.findForUpdate(tenantId).orElseThrow();
    }

    private void change(Account account, String status, String reason, @Nullable UUID paymentId, String actor) {
        Instant now = clock.instant();
        accounts.updateStatus(account.tenantId(), status, reason, now);
        outbox.append(new TenantStatusChanged(UUID.randomUUID(), now, account.tenantId(), status, account.status(),
                reason, paymentId, SERVICE));
        String action = switch (status) {
            case Account.SUSPENDED -> "billing.tenant.suspended";
            case Account.CANCELLED -> "billing.tenant.cancelled";
            default -> "billing.tenant.reinstated";
        };
        Map<String, String> details = paymentId == null ? Map.of("reason", reason, "previousStatus", account.status())
                : Map.of("reason", reason, "previousStatus", account.status(), "paymentId", paymentId.toString());
        outbox.append(new AuditEvent(UUID.randomUUID(), now, account.tenantId(), actor, action, "tenant",
                account.tenantId(), "success", RequestIds.current(), SERVICE, details));
        log.info("Tenant {} is now {} ({}), was {}", account.tenantId(), status, reason, account.status());
    }
}
