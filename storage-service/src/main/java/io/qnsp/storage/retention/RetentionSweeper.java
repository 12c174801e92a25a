package io.qnsp.storage.retention;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.storage.object.ObjectStore;
import io.qnsp.storage.object.StoredObject;
import io.qnsp.storage.object.StoredObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Applies retention policies' expiry actions to objects whose period has ended, once per content version: delete
 * (unless a legal hold covers the object: then it is tried again at the next sweep), archive (the object becomes
 * read-only) or notify (an audit event, {@code storage.retention.expired}). Each object is handled in a transaction
 * of its own under its row lock, skipped when another instance holds it, so several instances share the work.
 */
@Component
public class RetentionSweeper {

    static final String SWEEPER = "retention-sweeper";
    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    private final RetentionPolicies policies;
    private final StoredObjects objects;
    private final ObjectStore store;
    private final EventOutbox events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String service;

    RetentionSweeper(RetentionPolicies policies, StoredObjects objects, ObjectStore store, EventOutbox events,
                     PlatformTransactionManager transactions, Clock clock,
                     @Value("${spring.application.name:storage-service}") String service) {
        this.policies = policies;
        this.objects = objects;
        this.store = store;
        this.events = events;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
        this.service = service;
    }

    /** One sweep over every object whose retention has ended; how many actions it applied. */
    @Scheduled(fixedDelayString = "${qnsp.storage.retention.sweep-interval:1m}")
    public int sweep() {
        int applied = 0;
        for (RetentionPolicies.Due due : policies.due(clock.instant(), 500)) {
            try {
                Boolean done = transactions.execute(status -> apply(due));
                if (Boolean.TRUE.equals(done)) {
                    applied++;
                }
            } catch (ApiException refused) {
                log.info("retention of object {} ended but its {} waits: {}", due.objectId(), due.onExpiry(),
                        refused.getMessage());
            } catch (RuntimeException e) {
                log.warn("retention action on object {} failed, tried again next sweep: {}", due.objectId(),
                        e.getMessage());
            }
        }
        return applied;
    }

    private boolean apply(RetentionPolicies.Due due) {
        Optional<StoredObject> locked = objects.lock(due.tenantId(), due.objectId());
        if (locked.isEmpty() || !locked.get().versionId().equals(due.versionId())) {
            return false;
        }
        StoredObject object = locked.get();
        Instant now = clock.instant();
        switch (due.onExpiry()) {
            case "delete" -> store.remove(object, SWEEPER);
            case "archive" -> objects.storageClass(object.objectId(), StoredObject.ARCHIVE);
            default -> {
                // notify: the audit event below is the notice
            }
        }
        if (!due.onExpiry().equals("delete") && !policies.recordAction(due, "applied", now)) {
            return false;
        }
        events.append(new AuditEvent(UUID.randomUUID(), now, due.tenantId(), SWEEPER,
                "storage.retention.expired", "object", object.objectId().toString(), "success", null, service,
                Map.of("bucket", object.bucket(), "policyId", due.policyId().toString(), "action", due.onExpiry(),
                        "retainedUntil", due.until().toString())));
        return true;
    }
}
