package io.qnsp.billing.payment;

import io.qnsp.billing.account.Account;
import io.qnsp.billing.account.AccountManagement;
import io.qnsp.billing.payment.PaymentProvider.ChargeResult;
import io.qnsp.billing.payment.PaymentProvider.Outcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Collects finalized invoices through the {@link PaymentProvider}: the first attempt right after finalization, then
 * automatic retries (a schedule counted from the first failure, sooner after a transient failure) and retries asked
 * for through the API. Each attempt holds its payment's row lock, so two instances never charge one payment at once,
 * and passes the payment id as the provider's idempotency key.
 */
@Service
public class PaymentCollection {

    /** What an attempt came to, as the retry endpoint reports it. */
    public enum Result {
        SUCCEEDED("succeeded"),
        FAILED("failed"),
        /** the provider failed transiently (an automatic retry follows), or another attempt is in progress */
        PENDING("pending");

        public final String label;

        Result(String label) {
            this.label = label;
        }
    }

    /** One attempt's result and the payment after it. */
    public record Attempted(Payment payment, Result result, Instant attemptedAt, @Nullable PaymentAttempt attempt) {
    }

    static final String INITIAL = "initial";
    static final String AUTOMATIC = "automatic_retry";
    static final String MANUAL = "manual_retry";

    private static final Logger log = LoggerFactory.getLogger(PaymentCollection.class);
    private static final int BATCH = 100;

    private final Payments payments;
    private final PaymentProvider provider;
    private final AccountManagement accounts;
    private final PaymentSettings settings;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    PaymentCollection(Payments payments, PaymentProvider provider, AccountManagement accounts,
                      PaymentSettings settings, ApplicationEventPublisher events,
                      PlatformTransactionManager transactionManager, Clock clock) {
        this.payments = payments;
        this.provider = provider;
        this.accounts = accounts;
        this.settings = settings;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        if (!provider.name().equals(settings.provider())) {
            throw new IllegalStateException("qnsp.billing.payments.provider is '" + settings.provider()
                    + "' but the payment provider is '" + provider.name() + "'");
        }
    }

    public PaymentProvider provider() {
        return provider;
    }

    /** Records the payment of a finalized invoice, to be attempted once the finalizing transaction committed. */
    public UUID open(String tenantId, UUID invoiceId, BigDecimal amount, String currency) {
        UUID paymentId = UUID.randomUUID();
        payments.insert(paymentId, tenantId, invoiceId, amount, currency, provider.name(), clock.instant());
        return paymentId;
    }

    public Optional<Payment> find(UUID paymentId) {
        return payments.find(paymentId);
    }

    public Optional<Payment> findByInvoice(UUID invoiceId) {
        return payments.findByInvoice(invoiceId);
    }

    public List<Payment> failed(@Nullable String tenantId, int limit, int offset) {
        return payments.failed(tenantId, limit, offset);
    }

    public long countFailed(@Nullable String tenantId) {
        return payments.countFailed(tenantId);
    }

    public List<PaymentAttempt> attempts(Collection<UUID> paymentIds) {
        return payments.attempts(paymentIds);
    }

    /** The payment locked against attempts, inside the caller's transaction; empty while an attempt holds it. */
    public Optional<Payment> lockIdle(UUID paymentId) {
        return payments.lockUnlessBusy(paymentId);
    }

    /** Ends automatic retries (dunning cancelled the tenant); a retry through the API stays possible. */
    public void stopRetries(UUID paymentId) {
        payments.stopRetries(paymentId);
    }

    /**
     * Attempts the payment now, through the API: with the tenant's payment method as it is now.
     *
     * @param visibleTenant the only tenant whose payment the caller may retry; {@code null} for the operator
     * @throws PaymentNotFound         for an unknown payment or another tenant's
     * @throws PaymentAlreadySucceeded when it was collected already
     */
    public Attempted retry(UUID paymentId, @Nullable String visibleTenant) {
        Payment known = payments.find(paymentId)
                .filter(p -> visibleTenant == null || p.tenantId().equals(visibleTenant))
                .orElseThrow(PaymentNotFound::new);
        if (Payment.SUCCEEDED.equals(known.status())) {
            throw new PaymentAlreadySucceeded();
        }
        Attempted attempted = transactions.execute(status -> attempt(paymentId, MANUAL));
        if (attempted == null) {
            // collected by a concurrent attempt between the two reads
            throw new PaymentAlreadySucceeded();
        }
        return attempted;
    }

    /** The first attempt of a payment just opened, in a transaction of its own. */
    public @Nullable Attempted attemptNew(UUID paymentId) {
        return transactions.execute(status -> attempt(paymentId, INITIAL));
    }

    /** Attempts every payment that is pending or has a retry due; each in a transaction of its own. */
    @Scheduled(fixedDelayString = "${qnsp.billing.payments.collection-interval:1m}",
            initialDelayString = "${qnsp.billing.payments.collection-interval:1m}")
    public int collectDue() {
        int attempted = 0;
        while (true) {
            List<UUID> due = payments.due(clock.instant(), BATCH);
            int progress = 0;
            for (UUID paymentId : due) {
                try {
                    Attempted result = transactions.execute(status -> attempt(paymentId, AUTOMATIC));
                    if (result != null && result.attempt() != null) {
                        progress++;
                    }
                } catch (RuntimeException e) {
                    log.warn("Could not attempt payment {}: {}", paymentId, e.toString());
                }
            }
            attempted += progress;
            if (due.size() < BATCH || progress == 0) {
                return attempted;
            }
        }
    }

    /**
     * One attempt, inside the caller's transaction. Answers {@code null} when there was nothing to do (the payment
     * is collected, or an automatic attempt is no longer due), and {@link Result#PENDING} without an attempt when
     * another attempt holds the payment.
     */
    private @Nullable Attempted attempt(UUID paymentId, String trigger) {
        Instant now = clock.instant();
        Optional<Payment> locked = payments.lockUnlessBusy(paymentId);
        if (locked.isEmpty()) {
            Payment busy = payments.find(paymentId).orElseThrow(PaymentNotFound::new);
            return new Attempted(busy, Result.PENDING, now, null);
        }
        Payment payment = locked.get();
        if (Payment.SUCCEEDED.equals(payment.status())) {
            return null;
        }
        boolean pending = Payment.PENDING.equals(payment.status());
        if (AUTOMATIC.equals(trigger) && !pending && (payment.retriesStopped() || payment.nextRetryAt() == null
                || payment.nextRetryAt().isAfter(now))) {
            return null;
        }
        String effectiveTrigger = payment.lastAttemptAt() == null ? INITIAL : trigger;
        Account account = accounts.findOrDefault(payment.tenantId());
        String method = account.paymentMethod();
        ChargeResult result = charge(payment, method);
        String outcome = switch (result.outcome()) {
            case SUCCEEDED -> "succeeded";
            case DECLINED -> "declined";
            case TRANSIENT_FAILURE -> "transient_failure";
        };
        int attemptNo = payments.insertAttempt(paymentId, now, effectiveTrigger, method, outcome, result.code(),
                result.message(), result.reference());
        int retryCount = payment.lastAttemptAt() == null ? 0 : payment.retryCount() + 1;
        int automatic = payment.automaticRetries() + (AUTOMATIC.equals(effectiveTrigger) ? 1 : 0);
        Result reported;
        if (result.outcome() == Outcome.SUCCEEDED) {
            payments.markSucceeded(paymentId, now, retryCount, automatic);
            events.publishEvent(new PaymentSucceeded(paymentId, payment.tenantId(), payment.invoiceId(),
                    payment.amount()));
            reported = Result.SUCCEEDED;
            log.info("Payment {} of tenant {} succeeded ({} attempt)", paymentId, payment.tenantId(), effectiveTrigger);
        } else {
            boolean first = payment.failedAt() == null;
            Instant failedAt = first ? now : payment.failedAt();
            int streak = result.outcome() == Outcome.TRANSIENT_FAILURE ? payment.transientStreak() + 1 : 0;
            Instant next = nextRetry(failedAt, now, streak, payment.retriesStopped());
            payments.markFailed(paymentId, failedAt, now, result.code(), retryCount, automatic, streak, next);
            if (first) {
                events.publishEvent(new PaymentFailed(paymentId, payment.tenantId(), payment.invoiceId(),
                        payment.amount(), failedAt));
            }
            reported = result.outcome() == Outcome.TRANSIENT_FAILURE ? Result.PENDING : Result.FAILED;
            log.info("Payment {} of tenant {} failed ({} attempt, {}); next automatic retry {}", paymentId,
                    payment.tenantId(), effectiveTrigger, result.code(), next);
        }
        Payment after = payments.find(paymentId).orElseThrow();
        PaymentAttempt attempt = new PaymentAttempt(paymentId, attemptNo, now, effectiveTrigger, method, outcome,
                result.code(), result.message(), result.reference());
        return new Attempted(after, reported, now, attempt);
    }

    private ChargeResult charge(Payment payment, @Nullable String method) {
        if (method == null) {
            return new ChargeResult(Outcome.DECLINED, "no_payment_method", "The tenant has no payment method", null);
        }
        try {
            ChargeResult result = provider.charge(new PaymentProvider.Charge(payment.paymentId(), payment.tenantId(),
                    payment.amount(), payment.currency(), method, "QNSP invoice " + payment.invoiceId()));
            if (result == null || result.outcome() == null) {
                return new ChargeResult(Outcome.TRANSIENT_FAILURE, "provider_error", "The provider gave no answer",
                        null);
            }
            return result;
        } catch (RuntimeException e) {
            log.warn("Payment provider {} failed on payment {}: {}", provider.name(), payment.paymentId(),
                    e.toString());
            return new ChargeResult(Outcome.TRANSIENT_FAILURE, "provider_error",
                    "The payment provider could not be reached", null);
        }
    }

    /**
     * The next automatic attempt: the first of the schedule's retries still ahead, or sooner after a transient
     * failure (the delay doubling with each in a row, up to the configured number).
     */
    @Nullable Instant nextRetry(Instant failedAt, Instant now, int transientStreak, boolean stopped) {
        if (stopped) {
            return null;
        }
        Instant next = settings.retryAfter().stream().map(failedAt::plus).filter(at -> at.isAfter(now))
                .findFirst().orElse(null);
        if (transientStreak >= 1 && transientStreak <= settings.maxTransientRetries()) {
            Duration delay = settings.transientRetryDelay().multipliedBy(1L << Math.min(transientStreak - 1, 30));
            Instant quick = now.plus(delay);
            if (next == null || quick.isBefore(next)) {
                next = quick;
            }
        }
        return next;
    }
}
