package io.qnsp.securitymonitoring.compliance;

import io.qnsp.securitymonitoring.PlatformEvidence;
import io.qnsp.securitymonitoring.playbook.Playbook;
import io.qnsp.securitymonitoring.playbook.PlaybookManagement;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Compliance controls per tenant and their assessment: each control's automated checks run over the evidence the
 * platform holds (read once per assessment, only for the kinds the assessed checks need); a control passes when
 * every check in scope finds nothing, fails with the findings otherwise; a control with no check in scope is not
 * assessed. A framework's score is the share of its assessed controls that passed, in percent.
 */
@Service
public class ComplianceManagement {

    static final Duration API_KEY_MAX_AGE = Duration.ofDays(90);
    static final Duration STALE_AFTER = Duration.ofDays(90);
    static final Duration KMS_KEY_MAX_AGE = Duration.ofDays(365);

    private final ComplianceControls controls;
    private final PlatformEvidence platform;
    private final PlaybookManagement playbooks;
    private final Clock clock;

    ComplianceManagement(ComplianceControls controls, PlatformEvidence platform, PlaybookManagement playbooks,
                         Clock clock) {
        this.controls = controls;
        this.platform = platform;
        this.playbooks = playbooks;
        this.clock = clock;
    }

    public record NewControl(String controlId, String framework, String name, @Nullable String description,
                             List<String> requirements, List<String> automatedChecks) {
    }

    public ComplianceControl create(String tenantId, NewControl c) {
        ComplianceControl control = new ComplianceControl(UUID.randomUUID(), tenantId, c.controlId(), c.framework(),
                c.name(), c.description(), c.requirements(), c.automatedChecks(), clock.instant());
        if (!controls.insert(control)) {
            throw new ControlTaken(c.framework(), c.controlId());
        }
        return control;
    }

    /** What a check found wrong about one resource (or about the tenant as a whole, resourceId null). */
    public record Finding(String check, String resourceType, @Nullable String resourceId, String finding) {
    }

    /** passed, failed, or not_assessed (no automated check in scope). */
    public record ControlResult(ComplianceControl control, String status, List<String> checksRun,
                                List<Finding> findings) {
    }

    public record FrameworkScore(double score, int passed, int failed, int notAssessed) {
    }

    public record Assessment(UUID assessmentId, double overallScore, Map<String, FrameworkScore> byFramework,
                             List<ControlResult> controls, Instant assessedAt) {
    }

    /**
     * Assesses the tenant's controls of the frameworks given (all of them when none), running only the checks over
     * the resource types given (all when none).
     */
    public Assessment assess(String tenantId, String token, List<String> frameworks, Set<String> resourceTypes) {
        Instant now = clock.instant();
        Evidence evidence = new Evidence(() -> platform.apiKeys(token), () -> platform.kmsKeys(token),
                () -> playbooks.playbooks(tenantId));
        List<ComplianceControl> assessed = controls.all(tenantId).stream()
                .filter(c -> frameworks.isEmpty() || frameworks.contains(c.framework())).toList();
        Map<String, List<ControlResult>> byFramework = new LinkedHashMap<>();
        frameworks.forEach(f -> byFramework.put(f, new ArrayList<>()));
        List<ControlResult> results = new ArrayList<>();
        for (ComplianceControl control : assessed) {
            List<String> run = new ArrayList<>();
            List<Finding> findings = new ArrayList<>();
            for (String name : control.automatedChecks()) {
                AutomatedCheck check = AutomatedCheck.of(name).orElse(null);
                if (check == null || !(resourceTypes.isEmpty()
                        || resourceTypes.contains(check.evidence().resourceType()))) {
                    continue;
                }
                run.add(name);
                findings.addAll(run(check, evidence, now));
            }
            String status = run.isEmpty() ? "not_assessed" : findings.isEmpty() ? "passed" : "failed";
            ControlResult result = new ControlResult(control, status, run, findings);
            results.add(result);
            byFramework.computeIfAbsent(control.framework(), f -> new ArrayList<>()).add(result);
        }
        Map<String, FrameworkScore> scores = new LinkedHashMap<>();
        byFramework.forEach((framework, list) -> scores.put(framework, score(list)));
        double overall = score(results).score();
        Assessment assessment = new Assessment(UUID.randomUUID(), overall, scores, results, now);
        controls.insertAssessment(assessment.assessmentId(), tenantId, overall, Map.of("byFramework", scores,
                "controls", results.stream().map(r -> Map.of("controlUuid", r.control().controlUuid().toString(),
                        "status", r.status(), "findings", r.findings())).toList()), now);
        return assessment;
    }

    private static FrameworkScore score(List<ControlResult> results) {
        int passed = (int) results.stream().filter(r -> r.status().equals("passed")).count();
        int failed = (int) results.stream().filter(r -> r.status().equals("failed")).count();
        int notAssessed = results.size() - passed - failed;
        double score = passed + failed == 0 ? 0.0 : BigDecimal.valueOf(100.0 * passed / (passed + failed))
                .setScale(1, RoundingMode.HALF_UP).doubleValue();
        return new FrameworkScore(score, passed, failed, notAssessed);
    }

    private static List<Finding> run(AutomatedCheck check, Evidence evidence, Instant now) {
        List<Finding> findings = new ArrayList<>();
        String name = check.checkName();
        switch (check) {
            case API_KEYS_ROTATED_WITHIN_90_DAYS -> evidence.apiKeys().stream()
                    .filter(k -> k.status().equals("active") && k.createdAt().isBefore(now.minus(API_KEY_MAX_AGE)))
                    .forEach(k -> findings.add(new Finding(name, "api_key", k.id(), "active key issued "
                            + k.createdAt() + ", more than 90 days ago, and not rotated since")));
            case NO_STALE_API_KEYS -> evidence.apiKeys().stream()
                    .filter(k -> usable(k) && (k.lastUsedAt() == null ? k.createdAt() : k.lastUsedAt())
                            .isBefore(now.minus(STALE_AFTER)))
                    .forEach(k -> findings.add(new Finding(name, "api_key", k.id(), k.lastUsedAt() == null
                            ? "never used since it was issued " + k.createdAt()
                            : "last used " + k.lastUsedAt() + ", more than 90 days ago")));
            case NO_ADMIN_API_KEYS -> evidence.apiKeys().stream()
                    .filter(k -> usable(k) && k.scopes().contains("admin"))
                    .forEach(k -> findings.add(new Finding(name, "api_key", k.id(), "carries the admin scope")));
            case API_KEYS_EXPIRE -> evidence.apiKeys().stream()
                    .filter(k -> k.status().equals("active") && k.expiresAt() == null)
                    .forEach(k -> findings.add(new Finding(name, "api_key", k.id(), "never expires")));
            case KMS_KEYS_ROTATED_WITHIN_365_DAYS -> evidence.kmsKeys().stream()
                    .filter(k -> k.state().equals("enabled") && k.materialSince().isBefore(now.minus(KMS_KEY_MAX_AGE)))
                    .forEach(k -> findings.add(new Finding(name, "kms_key", k.keyId(), "key material from "
                            + k.materialSince() + ", more than 365 days old")));
            case API_KEY_ABUSE_RESPONSE -> {
                boolean covered = evidence.playbooks().stream().anyMatch(p -> p.enabled() && !p.dryRun()
                        && p.trigger().eventTypes().stream().anyMatch(t -> t.contains("api_key"))
                        && p.actions().stream().anyMatch(a -> a.type().equals("block")));
                if (!covered) {
                    findings.add(new Finding(name, "playbook", null, "no enabled playbook revokes API keys on API "
                            + "key audit events"));
                }
            }
            case AUDIT_EVENTS_MONITORED -> {
                if (evidence.playbooks().stream().noneMatch(p -> p.enabled() && !p.dryRun())) {
                    findings.add(new Finding(name, "playbook", null, "no enabled playbook acts on audit events"));
                }
            }
        }
        return findings;
    }

    private static boolean usable(PlatformEvidence.ApiKey key) {
        return key.status().equals("active") || key.status().equals("deprecated");
    }

    /** The evidence of one assessment, each kind read once and only when a check needs it. */
    private static final class Evidence {

        private final Supplier<List<PlatformEvidence.ApiKey>> apiKeys;
        private final Supplier<List<PlatformEvidence.KmsKey>> kmsKeys;
        private final Supplier<List<Playbook>> playbooks;

        Evidence(Supplier<List<PlatformEvidence.ApiKey>> apiKeys, Supplier<List<PlatformEvidence.KmsKey>> kmsKeys,
                 Supplier<List<Playbook>> playbooks) {
            this.apiKeys = memo(apiKeys);
            this.kmsKeys = memo(kmsKeys);
            this.playbooks = memo(playbooks);
        }

        List<PlatformEvidence.ApiKey> apiKeys() {
            return apiKeys.get();
        }

        List<PlatformEvidence.KmsKey> kmsKeys() {
            return kmsKeys.get();
        }

        List<Playbook> playbooks() {
            return playbooks.get();
        }

        private static <T> Supplier<T> memo(Supplier<T> source) {
            return new Supplier<>() {
                private @Nullable T value;

                @Override
                public T get() {
                    if (value == null) {
                        value = source.get();
                    }
                    return value;
                }
            };
        }
    }
}
