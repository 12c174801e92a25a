package io.qnsp.vault.leak;

import io.qnsp.common.error.InvalidField;
import io.qnsp.vault.fingerprint.ValueFingerprints;
import io.qnsp.vault.generate.SecretGenerators;
import io.qnsp.vault.leak.detect.DefaultRules;
import io.qnsp.vault.leak.detect.Detector;
import io.qnsp.vault.leak.detect.Masks;
import io.qnsp.vault.leak.detect.Rule;
import io.qnsp.vault.leak.detect.Severity;
import io.qnsp.vault.leak.source.CodeHosts;
import io.qnsp.vault.leak.source.GitLocations;
import io.qnsp.vault.leak.source.HostedContents;
import io.qnsp.vault.leak.source.HostedRepositories;
import io.qnsp.vault.leak.source.SourceFailure;
import io.qnsp.vault.leak.source.SourceText;
import io.qnsp.vault.leak.source.SourceVisitor;
import io.qnsp.vault.secret.StoredSecrets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs one claimed scan: resolves its policies into rules per target, lists the repositories of its organizations,
 * reads each repository, looks every value found and every known-value candidate up among the tenant's stored
 * secrets by fingerprint (one batch per file), opens an incident per distinct value per place, and takes the
 * policies' actions. Progress is written to the scan's row as it goes; the first repository that cannot be read
 * fails the scan with the reason.
 */
@Component
class ScanExecution {

    private static final Logger log = LoggerFactory.getLogger(ScanExecution.class);
    private static final int LOOKUP_BATCH = 1000;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    static final String STORED_SECRET_RULE = "stored-secret";

    private final LeakPolicies policies;
    private final LeakScans scans;
    private final IncidentManagement incidents;
    private final Remediation remediation;
    private final StoredSecrets secrets;
    private final ValueFingerprints fingerprints;
    private final LeakSettings settings;
    private final JsonMapper json;
    private final HttpClient http;
    private final Clock clock = Clock.systemUTC();

    ScanExecution(LeakPolicies policies, LeakScans scans, IncidentManagement incidents, Remediation remediation,
                  StoredSecrets secrets, ValueFingerprints fingerprints, LeakSettings settings, JsonMapper json) {
        this.policies = policies;
        this.scans = scans;
        this.incidents = incidents;
        this.remediation = remediation;
        this.secrets = secrets;
        this.fingerprints = fingerprints;
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(settings.scans().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The scan is no longer this instance's to run: it was failed as stale meanwhile. */
    private static final class ScanLost extends RuntimeException {

        ScanLost() {
            super("scan lost", null, false, false);
        }
    }

    /** A repository to read. */
    private sealed interface Work permits GitWork, HostedWork {
        ScanTarget target();
    }

    private record GitWork(GitLocations.Location location) implements Work {
        @Override
        public ScanTarget target() {
            return ScanTarget.GIT;
        }
    }

    private record HostedWork(ScanTarget target, HostedRepositories host, HostedRepositories.Repository repository)
            implements Work {
    }

    /** The rules that run on one target, and the policies they come from. */
    private record TargetRules(Detector detector, List<LeakPolicy> policies) {
    }

    void run(LeakScan scan, String instanceId) {
        Progress progress = new Progress(scan, instanceId);
        try {
            List<LeakPolicy> used = policies(scan);
            InvalidField.Problems problems = new InvalidField.Problems();
            ScanScope scope = ScanScope.parse(scan.targets(), scan.repositories(), scan.organizations(),
                    LeakScanManagement.access(settings), problems);
            if (!problems.isEmpty()) {
                try {
                    problems.throwIfAny();
                } catch (InvalidField invalid) {
                    throw new SourceFailure("the scope is no longer accepted by the service's settings: "
                            + invalid.getMessage());
                }
            }
            Map<ScanTarget, TargetRules> rules = new EnumMap<>(ScanTarget.class);
            for (ScanTarget target : scan.targets()) {
                rules.put(target, rules(used, target));
            }
            List<Work> work = work(scope);
            progress.total = work.size();
            progress.write(true);
            Remediation.Done done = new Remediation.Done();
            Set<String> seen = new HashSet<>();
            for (Work next : work) {
                Findings findings = new Findings(scan, next.target(), rules.get(next.target()), progress, done, seen);
                SourceVisitor visitor = new SourceVisitor() {
                    @Override
                    public void text(SourceText text) {
                        findings.accept(text);
                    }

                    @Override
                    public void progress(double fraction) {
                        progress.fraction = fraction;
                        progress.write(false);
                    }
                };
                long maxFile = settings.scans().maxFileSize().toBytes();
                switch (next) {
                    case GitWork git -> GitLocations.read(git.location(), LeakScanManagement.access(settings),
                            settings.git().workDirectoryOrTemp(), settings.git().cloneTimeout(), maxFile, visitor);
                    case HostedWork hosted -> HostedContents.read(hosted.host(), hosted.repository(), maxFile,
                            visitor);
                }
                progress.done++;
                progress.fraction = 0;
                progress.write(true);
            }
            if (progress.budgetExceeded > 0) {
                log.info("Scan {}: a regular expression gave up on {} lines (step budget)", scan.scanId(),
                        progress.budgetExceeded);
            }
            if (!scans.complete(scan.scanId(), instanceId, clock.instant())) {
                throw new ScanLost();
            }
            log.info("Scan {} completed: {} repositories, {} files, {} findings", scan.scanId(), progress.done,
                    progress.files, progress.findings);
        } catch (SourceFailure failure) {
            log.info("Scan {} failed: {}", scan.scanId(), failure.getMessage());
            progress.writeQuietly();
            scans.fail(scan.scanId(), instanceId, failure.getMessage(), clock.instant());
        } catch (ScanLost lost) {
            log.warn("Scan {} was taken from this instance (failed as stale) while it ran", scan.scanId());
        } catch (RuntimeException e) {
            StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
            log.error("Scan {} failed unexpectedly: {} at {}", scan.scanId(), e.getClass().getName(), at);
            progress.writeQuietly();
            scans.fail(scan.scanId(), instanceId, "the scan failed unexpectedly; submit it again, or ask the "
                    + "operator to look at the service's log", clock.instant());
        }
    }

    private List<LeakPolicy> policies(LeakScan scan) {
        if (scan.policyIds().isEmpty()) {
            return policies.list(scan.tenantId()).stream().filter(LeakPolicy::enabled).toList();
        }
        List<LeakPolicy> found = policies.findAll(scan.tenantId(), scan.policyIds());
        for (UUID id : scan.policyIds()) {
            if (found.stream().noneMatch(p -> p.policyId().equals(id))) {
                throw new SourceFailure("policy " + id + " was deleted before the scan ran");
            }
        }
        return found;
    }

    /**
     * The rules of the policies that apply to the target (a built-in rule once, however many policies include it);
     * without any policy, the built-in rules with {@code alert}.
     */
    private TargetRules rules(List<LeakPolicy> used, ScanTarget target) {
        if (used.isEmpty()) {
            return new TargetRules(detector(DefaultRules.rules(null)), List.of());
        }
        List<LeakPolicy> applicable = used.stream().filter(p -> p.appliesTo(target)).toList();
        List<Rule> rules = new ArrayList<>();
        Set<String> builtIns = new HashSet<>();
        for (LeakPolicy policy : applicable) {
            for (Rule rule : policy.rules()) {
                if (!rule.builtIn() || builtIns.add(rule.name())) {
                    rules.add(rule);
                }
            }
        }
        return new TargetRules(detector(rules), applicable);
    }

    private Detector detector(List<Rule> rules) {
        return new Detector(rules, settings.scans().regexStepBudget(), settings.scans().maxLineLength());
    }

    private List<Work> work(ScanScope scope) {
        List<Work> work = new ArrayList<>();
        scope.gitRepositories().forEach(location -> work.add(new GitWork(location)));
        Map<ScanTarget, HostedRepositories> hosts = new EnumMap<>(ScanTarget.class);
        Set<String> listed = new HashSet<>();
        for (ScanScope.HostedName organization : scope.organizations()) {
            HostedRepositories host = hosts.computeIfAbsent(organization.target(), this::host);
            for (HostedRepositories.Repository repository : host.organization(organization.name())) {
                if (listed.add(organization.target() + "\n" + repository.fullName())) {
                    work.add(new HostedWork(organization.target(), host, repository));
                }
            }
        }
        for (ScanScope.HostedName name : scope.hostedRepositories()) {
            HostedRepositories host = hosts.computeIfAbsent(name.target(), this::host);
            HostedRepositories.Repository repository = host.repository(name.name());
            if (listed.add(name.target() + "\n" + repository.fullName())) {
                work.add(new HostedWork(name.target(), host, repository));
            }
        }
        return work;
    }

    private HostedRepositories host(ScanTarget target) {
        Duration timeout = settings.scans().readTimeout();
        return switch (target) {
            case GITHUB -> CodeHosts.github(settings.github().apiUrl(), settings.github().token(), http, timeout, json);
            case GITLAB -> CodeHosts.gitlab(settings.gitlab().apiUrl(), settings.gitlab().token(), http, timeout, json);
            case GIT -> throw new IllegalArgumentException("git is read by URL or path");
        };
    }

    /** The scan's counts, written to its row at most once a second (and at each repository's end). */
    private final class Progress {

        private final LeakScan scan;
        private final String instanceId;
        int total;
        int done;
        double fraction;
        long files;
        int findings;
        int budgetExceeded;
        private Instant lastWrite = Instant.EPOCH;

        Progress(LeakScan scan, String instanceId) {
            this.scan = scan;
            this.instanceId = instanceId;
        }

        void write(boolean force) {
            Instant now = clock.instant();
            if (!force && Duration.between(lastWrite, now).compareTo(PROGRESS_EVERY) < 0) {
                return;
            }
            lastWrite = now;
            int percent = total == 0 ? 0 : (int) Math.min(99, Math.floor(100 * (done + fraction) / total));
            if (!scans.progress(scan.scanId(), instanceId, percent, total, done, files, findings, now)) {
                throw new ScanLost();
            }
        }

        void writeQuietly() {
            try {
                write(true);
            } catch (RuntimeException ignored) {
                // the failure that follows is what matters
            }
        }
    }

    /** Turns what the detector finds in one repository's files into incidents and actions. */
    private final class Findings {

        private final LeakScan scan;
        private final ScanTarget target;
        private final TargetRules rules;
        private final Progress progress;
        private final Remediation.Done done;
        private final Set<String> seen;

        Findings(LeakScan scan, ScanTarget target, TargetRules rules, Progress progress, Remediation.Done done,
                 Set<String> seen) {
            this.scan = scan;
            this.target = target;
            this.rules = rules;
            this.progress = progress;
            this.done = done;
            this.seen = seen;
        }

        void accept(SourceText text) {
            Detector.Result result = rules.detector().scan(text.lines());
            progress.files++;
            progress.budgetExceeded += result.budgetExceeded();
            Map<String, byte[]> fingerprintOf = new LinkedHashMap<>();
            result.candidates().keySet().forEach(value -> fingerprintOf.put(value,
                    fingerprints.of(scan.tenantId(), value)));
            Map<String, List<StoredSecrets.VersionMatch>> stored = lookUp(fingerprintOf.values());
            Map<String, List<Detector.Hit>> hitsByValue = new LinkedHashMap<>();
            result.hits().forEach(hit -> hitsByValue.computeIfAbsent(hit.value(), v -> new ArrayList<>()).add(hit));
            Map<String, Integer> matchedLines = new LinkedHashMap<>();
            result.candidates().forEach((value, line) -> {
                if (stored.containsKey(hex(fingerprintOf.get(value)))) {
                    matchedLines.put(value, line);
                }
            });
            Set<String> values = new LinkedHashSet<>(matchedLines.keySet());
            hitsByValue.forEach((value, hits) -> {
                // a fragment of a stored value on the same line is that value's finding, not one of its own
                boolean fragment = !matchedLines.containsKey(value) && matchedLines.entrySet().stream()
                        .anyMatch(m -> m.getKey().contains(value) && hits.stream()
                                .anyMatch(h -> h.line() == m.getValue()));
                if (!fragment) {
                    values.add(value);
                }
            });
            List<String> ordered = values.stream().sorted(Comparator.comparingInt(v -> line(v, hitsByValue,
                    matchedLines))).toList();
            for (String value : ordered) {
                byte[] fingerprint = fingerprintOf.get(value);
                String locationKey = target.apiName() + "\n" + text.repository() + "\n" + text.path();
                if (!seen.add(hex(fingerprint) + "\n" + locationKey)) {
                    continue;
                }
                progress.findings++;
                record(text, value, fingerprint, line(value, hitsByValue, matchedLines),
                        hitsByValue.getOrDefault(value, List.of()),
                        stored.getOrDefault(hex(fingerprint), List.of()));
            }
            progress.write(false);
        }

        private void record(SourceText text, String value, byte[] fingerprint, int line, List<Detector.Hit> hits,
                            List<StoredSecrets.VersionMatch> matches) {
            Rule top = hits.stream().map(Detector.Hit::rule).max(Comparator.comparing(Rule::severity)).orElse(null);
            Severity severity = matches.isEmpty() ? top.severity() : Severity.CRITICAL;
            Map<String, Object> rule = new LinkedHashMap<>();
            if (top == null) {
                rule.put("name", STORED_SECRET_RULE);
                rule.put("type", "stored_secret");
            } else {
                rule.put("name", top.name());
                rule.put("type", top.type().apiName());
                rule.put("pattern", top.pattern());
                rule.put("builtIn", top.builtIn());
                if (top.policyId() != null) {
                    rule.put("policyId", top.policyId().toString());
                }
            }
            // the policies that found it: every applicable one for a stored value (whether or not a pattern rule
            // also found it, a built-in one included), else those of its rules
            Set<UUID> policyIds = new LinkedHashSet<>();
            hits.forEach(hit -> {
                if (hit.rule().policyId() != null) {
                    policyIds.add(hit.rule().policyId());
                }
            });
            List<LeakPolicy> acting = hits.isEmpty() || !matches.isEmpty() ? rules.policies() : rules.policies()
                    .stream().filter(p -> policyIds.contains(p.policyId())).toList();
            Set<DetectionAction> actions = new LinkedHashSet<>();
            actions.add(DetectionAction.ALERT);
            List<String> channels = new ArrayList<>();
            String generator = null;
            for (LeakPolicy policy : acting) {
                actions.add(policy.onDetection());
                policy.notificationChannels().stream().filter(c -> !channels.contains(c)).forEach(channels::add);
                if (generator == null && policy.onDetection() == DetectionAction.ROTATE) {
                    generator = policy.generator();
                }
            }
            IncidentManagement.Detection detection = new IncidentManagement.Detection(scan.scanId(), target,
                    text.repository(), text.path(), text.commitId(), text.branch(), line, fingerprint,
                    Masks.of(value), severity, rule, acting.stream().map(LeakPolicy::policyId).toList(), matches,
                    channels);
            IncidentManagement.Recorded recorded = incidents.recordDetection(scan.tenantId(), detection);
            if (recorded.created()) {
                remediation.apply(scan, recorded.incident(), matches, actions,
                        generator == null ? SecretGenerators.PASSWORD : generator, channels, done);
            }
        }

        private Map<String, List<StoredSecrets.VersionMatch>> lookUp(java.util.Collection<byte[]> all) {
            Map<String, List<StoredSecrets.VersionMatch>> found = new HashMap<>();
            List<byte[]> batch = new ArrayList<>(LOOKUP_BATCH);
            for (byte[] fingerprint : all) {
                batch.add(fingerprint);
                if (batch.size() == LOOKUP_BATCH) {
                    collect(batch, found);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                collect(batch, found);
            }
            return found;
        }

        private void collect(List<byte[]> batch, Map<String, List<StoredSecrets.VersionMatch>> found) {
            for (StoredSecrets.VersionMatch match : secrets.findByFingerprints(scan.tenantId(), batch)) {
                found.computeIfAbsent(hex(match.fingerprint()), k -> new ArrayList<>()).add(match);
            }
        }
    }

    private static int line(String value, Map<String, List<Detector.Hit>> hits, Map<String, Integer> matched) {
        int line = matched.getOrDefault(value, Integer.MAX_VALUE);
        for (Detector.Hit hit : hits.getOrDefault(value, List.of())) {
            line = Math.min(line, hit.line());
        }
        return line;
    }

    private static String hex(byte @Nullable [] bytes) {
        return bytes == null ? "" : HexFormat.of().formatHex(bytes);
    }
}
