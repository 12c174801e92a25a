package io.qnsp.billing.dunning;

import io.qnsp.billing.account.AccountManagement;
import io.qnsp.billing.payment.Payment;
import io.qnsp.billing.payment.PaymentCollection;
import io.qnsp.billing.payment.PaymentFailed;
import io.qnsp.billing.payment.PaymentSucceeded;
import io.qnsp.common.events.EventOutbox;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Dunning: when a payment first fails, the tenant's schedule in force is copied onto a case, and a scheduler executes
 * each step once its day has come (counted from the failure): notices leave on the {@code billing-notices} stream,
 * {@code suspend} and {@code cancel} change the tenant's status. A payment that succeeds stops its case and restores a
 * tenant its dunning suspended. Each case is advanced under its row lock ({@code FOR UPDATE SKIP LOCKED}) and each
 * step is recorded once, so several instances never execute a step twice.
 */
@Service
public class DunningManagement {

    static final String SERVICE = "billing-service";

    private static final Logger log = LoggerFactory.getLogger(DunningManagement.class);
    private static final int BATCH = 500;

    private final DunningSchedules schedules;
    private final DunningCases cases;
    private final DunningSettings settings;
    private final PaymentCollection payments;
    private final AccountManagement accounts;
    private final EventOutbox outbox;
    private final TransactionTemplate transactions;
    private final Clock clock;

    DunningManagement(DunningSchedules schedules, DunningCases cases, DunningSettings settings,
                      PaymentCollection payments, AccountManagement accounts, EventOutbox outbox,
                      PlatformTransactionManager transactionManager, Clock clock) {
        this.schedules = schedules;
        this.cases = cases;
        this.settings = settings;
        this.payments = payments;
        this.accounts = accounts;
        this.outbox = outbox;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Configures the tenant's schedule; it applies to payments that fail from now on.
     *
     * @throws io.qnsp.common.error.InvalidField naming {@code schedule[i].…} for a step that breaks the rules
     */
    @Transactional
    public DunningSchedule configure(String tenantId, List<DunningStep> steps, String actor) {
        DunningSchedules.check(steps, "schedule").throwIfAny();
        accounts.ensure(tenantId);
        DunningSchedule schedule = new DunningSchedule(UUID.randomUUID(), tenantId, DunningSchedules.ordered(steps),
                clock.instant(), actor);
        schedules.insert(schedule);
        return schedule;
    }

    /** The schedule in force for the tenant: the latest configured, or the default. */
    public DunningSchedule scheduleFor(String tenantId) {
        return schedules.latest(tenantId).orElseGet(() -> new DunningSchedule(null, tenantId,
                DunningSchedules.ordered(settings.defaultSchedule()), null, null));
    }

    public List<DunningCase> cases(Collection<UUID> paymentIds) {
        return cases.find(paymentIds);
    }

    @EventListener
    public void paymentFailed(PaymentFailed failed) {
        DunningSchedule schedule = scheduleFor(failed.tenantId());
        cases.insertIfAbsent(failed.paymentId(), failed.tenantId(), schedule.scheduleId(), schedule.steps(),
                failed.failedAt());
    }

    @EventListener
    public void paymentSucceeded(PaymentSucceeded succeeded) {
        Optional<DunningCase> open = cases.lockOpenWaiting(succeeded.paymentId());
        if (open.isEmpty()) {
            return;
        }
        cases.stop(succeeded.paymentId(), "paid", clock.instant());
        if (!cases.otherOpenCaseSuspended(succeeded.tenantId(), succeeded.paymentId())) {
            accounts.reinstateAfterPayment(succeeded.tenantId(), succeeded.paymentId());
        }
        log.info("Dunning of payment {} (tenant {}) stopped: paid", succeeded.paymentId(), succeeded.tenantId());
    }

    /**
     * Executes every step whose day has come, case by case, each in a transaction of its own.
     *
     * @return how many steps were executed
     */
    @Scheduled(fixedDelayString = "${qnsp.billing.dunning.interval:1m}",
            initialDelayString = "${qnsp.billing.dunning.interval:1m}")
    public int runDue() {
        int executed = 0;
        Set<UUID> seen = new HashSet<>();
        while (true) {
            List<UUID> open = cases.open(BATCH);
            int fresh = 0;
            for (UUID paymentId : open) {
                if (!seen.add(paymentId)) {
                    continue;
                }
                fresh++;
                try {
                    Integer done = transactions.execute(status -> advance(paymentId));
                    executed += done == null ? 0 : done;
                } catch (RuntimeException e) {
                    log.warn("Could not advance the dunning of payment {}: {}", paymentId, e.toString());
                }
            }
            if (open.size() < BATCH || fresh == 0) {
                return executed;
            }
        }
    }

    private int advance(UUID paymentId) {
        // the payment first, then the case: the order a payment attempt that succeeds takes them in
        Optional<Payment> idle = payments.lockIdle(paymentId);
        if (idle.isEmpty()) {
            return 0;
        }
        Optional<DunningCase> locked = cases.lockOpen(paymentId);
        if (locked.isEmpty()) {
            return 0;
        }
        DunningCase dunning = locked.get();
        Instant now = clock.instant();
        Payment payment = idle.get();
        if (!Payment.FAILED.equals(payment.status())) {
            cases.stop(paymentId, Payment.SUCCEEDED.equals(payment.status()) ? "paid" : "not_failed", now);
            return 0;
        }
        Set<Integer> done = new HashSet<>();
        cases.actions(List.of(paymentId)).forEach(a -> done.add(a.stepIndex()));
        int executed = 0;
        List<DunningStep> steps = dunning.steps();
        for (int i = 0; i < steps.size(); i++) {
            DunningStep step = steps.get(i);
            Instant due = dunning.startedAt().plus(Duration.ofDays(step.dayAfterFailure()));
            if (due.isAfter(now)) {
                break;
            }
            if (done.contains(i)) {
                continue;
            }
            String outcome = execute(step, payment);
            cases.insertAction(new DunningAction(paymentId, i, step.dayAfterFailure(), step.action(), step.template(),
                    due, now, outcome));
            executed++;
            log.info("Dunning of payment {} (tenant {}), day {}: {} -> {}", paymentId, payment.tenantId(),
                    step.dayAfterFailure(), step.action(), outcome);
            if (DunningStep.CANCEL.equals(step.action())) {
                payments.stopRetries(paymentId);
                cases.stop(paymentId, "cancelled", now);
                break;
            }
        }
        return executed;
    }

    private String execute(DunningStep step, Payment payment) {
        return switch (step.action()) {
            case DunningStep.EMAIL, DunningStep.SMS -> notice(step, payment);
            case DunningStep.SUSPEND -> accounts.suspendForDunning(payment.tenantId(), payment.paymentId())
                    ? "tenant_suspended" : "tenant_not_active";
            case DunningStep.CANCEL -> accounts.cancelForDunning(payment.tenantId(), payment.paymentId())
                    ? "tenant_cancelled" : "tenant_already_cancelled";
            default -> throw new IllegalStateException("unknown dunning action " + step.action());
        };
    }

    private String notice(DunningStep step, Payment payment) {
        outbox.append(new DunningNoticeRequested(UUID.randomUUID(), clock.instant(), payment.tenantId(),
                step.action(), step.template(), payment.paymentId(), payment.invoiceId(), payment.amount(),
                payment.currency(), step.dayAfterFailure(), SERVICE));
        return "notice_published";
    }

    /** When the next step of the case is due, or {@code null} when none is left. */
    public @Nullable Instant nextStepAt(DunningCase dunning) {
        if (dunning.stoppedAt() != null) {
            return null;
        }
        Set<Integer> done = new HashSet<>();
        dunning.actions().forEach(a -> done.add(a.stepIndex()));
        for (int i = 0; i < dunning.steps().size(); i++) {
            if (!done.contains(i)) {
                return dunning.startedAt().plus(Duration.ofDays(dunning.steps().get(i).dayAfterFailure()));
            }
        }
        return null;
    }
}
