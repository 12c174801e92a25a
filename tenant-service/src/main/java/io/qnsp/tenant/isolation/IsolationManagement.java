package io.qnsp.tenant.isolation;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.ids.Ulids;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Isolation audits: created as running, their checks run in the background, and the result stored per category:
 * {@code isolated} when every check passed, {@code breach} when one failed, {@code warning} when one could not run;
 * a category outside the audit's scope is {@code not_audited}. The overall status is the worst of the four.
 */
@Service
public class IsolationManagement {

    private static final Logger log = LoggerFactory.getLogger(IsolationManagement.class);

    public static final List<String> CATEGORIES = List.of("data", "network", "compute", "identity");
    static final List<String> DEPTHS = List.of("quick", "standard", "comprehensive");

    /** The status now, from the latest completed audit. */
    public record CurrentStatus(String overallStatus, Map<String, String> byCategory, @Nullable Instant lastAuditAt,
                                @Nullable String lastAuditId) {
    }

    private final IsolationAudits audits;
    private final IsolationAuditor auditor;
    private final Clock clock;
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();

    IsolationManagement(IsolationAudits audits, IsolationAuditor auditor, Clock clock) {
        this.audits = audits;
        this.auditor = auditor;
        this.clock = clock;
    }

    /** Validates and stores a running audit; {@link #run} starts its checks once it is committed. */
    public IsolationAudits.Audit create(String tenantId, @Nullable List<String> scope, @Nullable String depth) {
        List<String> categories = new ArrayList<>();
        if (scope == null || scope.isEmpty()) {
            categories.addAll(CATEGORIES);
        } else {
            for (int i = 0; i < scope.size(); i++) {
                String category = scope.get(i);
                if (category == null || !CATEGORIES.contains(category)) {
                    throw new InvalidField("scope[" + i + "]", "must be one of " + String.join(", ", CATEGORIES));
                }
                if (!categories.contains(category)) {
                    categories.add(category);
                }
            }
        }
        String chosenDepth = depth == null ? "standard" : depth;
        if (!DEPTHS.contains(chosenDepth)) {
            throw new InvalidField("depth", "must be one of " + String.join(", ", DEPTHS));
        }
        Instant now = clock.instant();
        String id = Ulids.next("iaud_", now);
        audits.insert(id, tenantId, categories, chosenDepth, now);
        return audits.find(tenantId, id).orElseThrow();
    }

    /** Runs the audit's checks in the background, with the auditing caller's token for the identity checks. */
    public void run(IsolationAudits.Audit audit, String bearerToken) {
        Runnable start = () -> runs.submit(() -> {
            try {
                execute(audit, bearerToken);
            } catch (RuntimeException e) {
                log.warn("Isolation audit {} failed: {}", audit.auditId(), e.toString());
                audits.complete(audit.auditId(), "failed", Map.of(), List.of(IsolationCheck.inconclusive("audit",
                        "the audit ran", "the audit stopped: " + e.getClass().getSimpleName())), clock.instant());
            }
        });
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    start.run();
                }
            });
        } else {
            start.run();
        }
    }

    private void execute(IsolationAudits.Audit audit, String bearerToken) {
        int sample = IsolationAuditor.sampleSize(audit.depth());
        List<IsolationCheck> checks = new ArrayList<>();
        for (String category : audit.scope()) {
            checks.addAll(switch (category) {
                case "data" -> auditor.data(audit.tenantId(), sample);
                case "network" -> auditor.network(audit.tenantId());
                case "compute" -> auditor.compute(audit.tenantId());
                case "identity" -> auditor.identity(audit.tenantId(), audit.auditId(), bearerToken, sample);
                default -> List.of();
            });
        }
        Map<String, String> byCategory = new LinkedHashMap<>();
        for (String category : CATEGORIES) {
            if (!audit.scope().contains(category)) {
                byCategory.put(category, "not_audited");
                continue;
            }
            List<IsolationCheck> ofCategory = checks.stream().filter(c -> c.category().equals(category)).toList();
            byCategory.put(category, ofCategory.stream().anyMatch(c -> c.outcome().equals("failed")) ? "breach"
                    : ofCategory.stream().anyMatch(c -> c.outcome().equals("inconclusive")) ? "warning"
                    : "isolated");
        }
        audits.complete(audit.auditId(), "completed", byCategory, checks, clock.instant());
    }

    public IsolationAudits.Audit audit(String tenantId, String auditId) {
        return audits.find(tenantId, auditId).orElseThrow(() -> new AuditNotFound(auditId));
    }

    public CurrentStatus currentStatus(String tenantId) {
        return audits.latestCompleted(tenantId).map(audit -> new CurrentStatus(overall(audit.byCategory()),
                        audit.byCategory(), audit.completedAt(), audit.auditId()))
                .orElseGet(() -> {
                    Map<String, String> none = new LinkedHashMap<>();
                    CATEGORIES.forEach(category -> none.put(category, "not_audited"));
                    return new CurrentStatus("warning", none, null, null);
                });
    }

    static String overall(Map<String, String> byCategory) {
        if (byCategory.containsValue("breach")) {
            return "breach";
        }
        return byCategory.values().stream().allMatch("isolated"::equals) ? "isolated" : "warning";
    }
}
