package io.qnsp.storage.object;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.web.RequestIds;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Audit events of object uploads. An upload is streamed to the volume before its row is written, so it is not run
 * inside the transaction {@code @RequiredControls} would open for its audit (that would hold a database connection
 * for as long as the client takes to send the body); the store records the event itself instead, in the short
 * transaction that records the object, and a refused upload in a transaction of its own.
 */
@Component
class ObjectAudit {

    private final EventOutbox events;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final String service;

    ObjectAudit(EventOutbox events, PlatformTransactionManager transactions, Clock clock,
                @Value("${spring.application.name:storage-service}") String service) {
        this.events = events;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.service = service;
    }

    /** Appends the success event to the current transaction. */
    void written(StoredObject object, boolean created) {
        events.append(event(object.tenantId(), object.writtenBy(), object.objectId().toString(), "success",
                Map.of("bucket", object.bucket(), "versionId", object.versionId().toString(),
                        "size", Long.toString(object.size()), "created", Boolean.toString(created))));
    }

    /** Records a refused or failed upload, in a transaction of its own. */
    void refused(String tenantId, String actor, String bucket, int status, String code) {
        ownTransaction.executeWithoutResult(s -> events.append(event(tenantId, actor, null, "failure",
                Map.of("bucket", bucket, "status", Integer.toString(status), "error", code))));
    }

    private AuditEvent event(String tenantId, String actor, String objectId, String outcome,
                             Map<String, String> details) {
        return new AuditEvent(UUID.randomUUID(), clock.instant(), tenantId, actor, "storage.object.written",
                "object", objectId, outcome, RequestIds.current(), service, details);
    }
}
