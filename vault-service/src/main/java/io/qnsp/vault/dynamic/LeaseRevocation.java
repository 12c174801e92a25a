package io.qnsp.vault.dynamic;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.kms.DependencyDown;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Drops the accounts of leases: on request, and from the sweeper for leases past their expiry and revocations due
 * for a retry. A worker first claims the lease (a committed conditional update, see {@link Leases}); only then does
 * it touch the backend, so a revoke request and the sweepers of every instance never drop one account twice. A
 * failed attempt is recorded (attempts, next attempt, the reason in the vault's words) and retried after a pause
 * that doubles with each failure up to {@code max-retry-backoff}, for as long as it takes.
 */
@Component
class LeaseRevocation {

    private static final Logger log = LoggerFactory.getLogger(LeaseRevocation.class);
    static final String SWEEPER = "vault-lease-sweeper";

    /** How one attempt ended: the lease as recorded after it, and the failure when there was one. */
    record Attempt(Lease lease, @Nullable BackendFailure failure, @Nullable String error) {

        boolean succeeded() {
            return error == null;
        }
    }

    private final Leases leases;
    private final DynamicSecretConfigs configs;
    private final Backends backends;
    private final DynamicSecretSettings settings;
    private final EventOutbox events;
    private final TransactionTemplate separately;
    private final String service;
    private final Clock clock = Clock.systemUTC();

    LeaseRevocation(Leases leases, DynamicSecretConfigs configs, Backends backends, DynamicSecretSettings settings,
                    EventOutbox events, PlatformTransactionManager transactions,
                    @Value("${spring.application.name:vault-service}") String service) {
        this.leases = leases;
        this.configs = configs;
        this.backends = backends;
        this.settings = settings;
        this.events = events;
        this.service = service;
        // claims and outcomes commit at once, whatever becomes of the request that caused them
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Claims a lease for a revoke request; empty when another worker holds it or it is done. */
    Optional<Claimed> claim(String tenantId, UUID leaseId) {
        UUID token = UUID.randomUUID();
        Instant now = now();
        return separately.execute(status -> leases.claim(tenantId, leaseId, token, now,
                now.plus(settings.claimTimeout()))).map(lease -> new Claimed(lease, token));
    }

    /** A lease this worker holds, with the token that proves it. */
    record Claimed(Lease lease, UUID token) {
    }

    /** Drops the claimed lease's account with the backend connection given and records the outcome. */
    Attempt attempt(Claimed claimed, BackendConnection connection, boolean bySweeper) {
        Lease lease = claimed.lease();
        try {
            backends.of(connection.type()).drop(connection, lease.username());
        } catch (BackendFailure failure) {
            return failed(claimed, failure, failure.getMessage());
        } catch (RuntimeException e) {
            return failed(claimed, null, "unexpected " + e.getClass().getSimpleName());
        }
        Instant now = now();
        Optional<Lease> recorded = separately.execute(status -> {
            Optional<Lease> done = leases.revoked(lease.leaseId(), claimed.token(), now);
            if (done.isPresent() && bySweeper) {
                Lease l = done.get();
                events.append(new AuditEvent(UUID.randomUUID(), now, l.tenantId(), SWEEPER,
                        l.state().equals(Lease.REVOKED) ? "vault.dynamic_secret_lease.revoked"
                                : "vault.dynamic_secret_lease.expired",
                        "dynamic_secret_lease", l.leaseId().toString(), "success", null, service,
                        Map.of("attempts", Integer.toString(l.revokeAttempts()))));
            }
            return done;
        });
        if (recorded.isEmpty()) {
            // the claim ran out while the backend was slow and another worker took the lease over
            log.warn("Lease {}: its account was dropped after the claim had run out", lease.leaseId());
            return new Attempt(lease, null, null);
        }
        log.info("Lease {} of tenant {}: account {} dropped ({}, attempt {})", lease.leaseId(), lease.tenantId(),
                lease.username(), recorded.get().state(), recorded.get().revokeAttempts());
        return new Attempt(recorded.get(), null, null);
    }

    private Attempt failed(Claimed claimed, @Nullable BackendFailure failure, String error) {
        Lease lease = claimed.lease();
        Instant next = now().plus(settings.backoffAfter(lease.revokeAttempts() + 1));
        Lease recorded = separately.execute(status -> leases.attemptFailed(lease.leaseId(), claimed.token(), error,
                next)).orElse(lease);
        log.warn("Lease {} of tenant {}: revocation attempt {} failed ({}); next attempt at {}", lease.leaseId(),
                lease.tenantId(), recorded.revokeAttempts(), error, next);
        return new Attempt(recorded, failure, error);
    }

    /** Records a failed attempt for a lease whose backend connection could not even be opened. */
    Attempt failedBeforeBackend(Claimed claimed, String error) {
        return failed(claimed, null, error);
    }

    @Scheduled(fixedDelayString = "${qnsp.vault.dynamic.sweep-interval:10s}",
            initialDelayString = "${qnsp.vault.dynamic.sweep-interval:10s}")
    void sweepOnSchedule() {
        try {
            while (sweep(now()) == settings.sweepBatchSize()) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            log.warn("Lease sweep failed: {}", e.toString());
        }
    }

    /** One batch: claims the leases due at {@code now} and revokes each; how many were claimed. */
    int sweep(Instant now) {
        UUID token = UUID.randomUUID();
        List<Lease> due = separately.execute(status -> leases.claimDue(token, now, now.plus(settings.claimTimeout()),
                settings.sweepBatchSize()));
        for (Lease lease : due) {
            Claimed claimed = new Claimed(lease, token);
            BackendConnection connection;
            try {
                DynamicSecretConfig config = configs.find(lease.configId()).orElseThrow();
                connection = backends.open(config);
            } catch (DependencyDown e) {
                failedBeforeBackend(claimed, "kms-service could not open the config's backend connection");
                continue;
            } catch (RuntimeException e) {
                failedBeforeBackend(claimed, "the config's backend connection could not be opened ("
                        + e.getClass().getSimpleName() + ")");
                continue;
            }
            attempt(claimed, connection, true);
        }
        return due.size();
    }

    /** One batch at the present time. */
    int sweep() {
        return sweep(now());
    }

    /** The time, to the microsecond PostgreSQL keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
