package io.qnsp.storage.classification;

import io.qnsp.storage.object.ObjectStore;
import io.qnsp.storage.object.StoredObject;
import io.qnsp.storage.object.StoredObjects;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Runs queued classification scans: each instance claims scans ({@code FOR UPDATE SKIP LOCKED}) up to its number of
 * threads and works through their objects, recording each object's labels and the scan's progress as it goes and
 * renewing its lease; a scan whose instance stopped is taken over where it was left. An object deleted or rewritten
 * since the scan was queued is skipped (a rewrite queues its own scan under auto-applied policies).
 */
@Component
public class ScanWorker {

    private static final Logger log = LoggerFactory.getLogger(ScanWorker.class);

    private final Scans scans;
    private final ClassificationPolicies policies;
    private final ObjectLabels labels;
    private final StoredObjects objects;
    private final ObjectStore store;
    private final ClassificationSettings settings;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ExecutorService executor;
    private final Semaphore free;

    ScanWorker(Scans scans, ClassificationPolicies policies, ObjectLabels labels, StoredObjects objects,
               ObjectStore store, ClassificationSettings settings, PlatformTransactionManager transactions,
               Clock clock) {
        this.scans = scans;
        this.policies = policies;
        this.labels = labels;
        this.objects = objects;
        this.store = store;
        this.settings = settings;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
        this.executor = Executors.newFixedThreadPool(settings.threads(), Thread.ofPlatform().name("scan-", 0)
                .daemon().factory());
        this.free = new Semaphore(settings.threads());
    }

    /** Claims queued scans while this instance has a free thread, and runs each on one. */
    @Scheduled(fixedDelayString = "${qnsp.storage.classification.poll-interval:2s}")
    void poll() {
        while (free.tryAcquire()) {
            Optional<Scan> claimed;
            try {
                claimed = claim();
            } catch (RuntimeException e) {
                free.release();
                log.warn("classification scans cannot be claimed: {}", e.getMessage());
                return;
            }
            if (claimed.isEmpty()) {
                free.release();
                return;
            }
            executor.execute(() -> {
                try {
                    run(claimed.get());
                } finally {
                    free.release();
                }
            });
        }
    }

    /** Runs every queued scan in the calling thread, until none is left; how many it ran. */
    public int drain() {
        int ran = 0;
        for (Optional<Scan> scan = claim(); scan.isPresent(); scan = claim()) {
            run(scan.get());
            ran++;
        }
        return ran;
    }

    private Optional<Scan> claim() {
        return scans.claim(clock.instant(), settings.lease());
    }

    private void run(Scan scan) {
        List<ClassificationPolicy> chosen = policies.find(scan.tenantId(), scan.policyIds());
        try {
            for (List<Scans.Item> batch = scans.pendingItems(scan.scanId(), 100); !batch.isEmpty();
                 batch = scans.pendingItems(scan.scanId(), 100)) {
                for (Scans.Item item : batch) {
                    scanObject(scan, item.objectId(), chosen);
                }
            }
            scans.complete(scan.scanId(), clock.instant());
        } catch (RuntimeException e) {
            // the lease runs out and the scan is taken over where it was left
            log.warn("classification scan {} stopped: {}", scan.scanId(), e.getMessage());
        }
    }

    private void scanObject(Scan scan, UUID objectId, List<ClassificationPolicy> chosen) {
        Instant leaseUntil = clock.instant().plus(settings.lease());
        Optional<StoredObject> found = objects.find(scan.tenantId(), objectId);
        if (found.isEmpty() || found.get().writtenAt().isAfter(scan.createdAt())) {
            scans.itemDone(scan.scanId(), objectId, "skipped", found.isEmpty() ? "deleted" : "rewritten", 0, false,
                    leaseUntil);
            return;
        }
        StoredObject object = found.get();
        List<Rule> rules = new ArrayList<>();
        chosen.forEach(p -> rules.addAll(p.rules()));
        ContentScanner.Result result;
        try (InputStream content = store.content(object)) {
            result = ContentScanner.scan(content, settings.maxScannedBytes().toBytes(), rules);
        } catch (Exception e) {
            scans.itemDone(scan.scanId(), objectId, "failed", e.getClass().getSimpleName() + ": " + e.getMessage(),
                    0, false, leaseUntil);
            return;
        }
        Instant now = clock.instant();
        boolean labelled = false;
        List<ObjectLabel> made = new ArrayList<>();
        int offset = 0;
        for (ClassificationPolicy policy : chosen) {
            Classification top = null;
            Set<String> types = new LinkedHashSet<>();
            List<Integer> findings = new ArrayList<>();
            for (int r = 0; r < policy.rules().size(); r++) {
                int count = result.findings()[offset + r];
                findings.add(count);
                Rule rule = policy.rules().get(r);
                if (count > 0) {
                    if (top == null || rule.classification().compareTo(top) > 0) {
                        top = rule.classification();
                    }
                    rule.dataTypes().forEach(t -> types.add(t.value()));
                }
            }
            offset += policy.rules().size();
            labelled |= top != null;
            made.add(new ObjectLabel(object.objectId(), policy.policyId(), object.versionId(),
                    top == null ? null : top.value(), List.copyOf(types), findings, result.scannedBytes(),
                    result.truncated(), scan.scanId(), now));
        }
        boolean anyLabel = labelled;
        transactions.executeWithoutResult(status -> {
            // the object may have been rewritten while it was read: then these labels are no longer its
            if (objects.find(scan.tenantId(), objectId).filter(o -> o.versionId().equals(object.versionId()))
                    .isPresent()) {
                made.forEach(label -> labels.upsert(scan.tenantId(), label));
                scans.itemDone(scan.scanId(), objectId, "done", null, result.scannedBytes(), anyLabel, leaseUntil);
            } else {
                scans.itemDone(scan.scanId(), objectId, "skipped", "rewritten", 0, false, leaseUntil);
            }
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
