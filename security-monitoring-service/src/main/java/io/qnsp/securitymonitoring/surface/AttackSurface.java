package io.qnsp.securitymonitoring.surface;

import io.qnsp.common.error.InvalidField;
import io.qnsp.securitymonitoring.PlatformEvidence;
import io.qnsp.securitymonitoring.playbook.Playbook;
import io.qnsp.securitymonitoring.playbook.PlaybookManagement;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Attack paths through the platform as deployed: its operations as the gateway exposes them (public ones, and ones
 * any valid credential passes), the tenant's credentials at auth-service (API keys with the admin scope, keys unused
 * for 90 days), its DataHub webhooks at audit-service and its playbooks' webhooks to private addresses; and what a leaked credential could reach, judged by
 * the documents' security requirements as the platform enforces them (the admin scope or role holds every scope).
 */
@Service
public class AttackSurface {

    static final Duration STALE_AFTER = Duration.ofDays(90);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final PlatformSurface platform;
    private final PlatformEvidence evidence;
    private final PlaybookManagement playbooks;
    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;

    AttackSurface(PlatformSurface platform, PlatformEvidence evidence, PlaybookManagement playbooks,
                  NamedParameterJdbcTemplate jdbc, JsonMapper json, Clock clock) {
        this.platform = platform;
        this.evidence = evidence;
        this.playbooks = playbooks;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public record Step(String asset, String vulnerability, String technique) {
    }

    public record AttackPath(String pathId, String severity, List<Step> steps, List<String> mitigations) {
    }

    public record Analysis(UUID analysisId, List<AttackPath> attackPaths, List<String> servicesRead,
                           List<String> unreadableServices) {
    }

    /**
     * @param depth 1: operations open to anyone; 2: also operations any credential passes, the tenant's exposed
     *              credentials and private webhooks; 3 and more: credential paths continue to the operations that
     *              issue new credentials (persistence after the leaked one is revoked)
     */
    public Analysis analyze(String tenantId, String token, String targetAsset, int depth, boolean external) {
        PlatformSurface.Surface surface = platform.read();
        List<ExposedOperation> target = target(surface, targetAsset, "targetAsset");
        List<AttackPath> paths = new ArrayList<>();
        for (ExposedOperation op : target) {
            if (!op.authenticated()) {
                paths.add(path(op.changesState() ? "high" : "medium", List.of(
                        new Step("internet", "no credential required", "T1190 Exploit Public-Facing Application"),
                        new Step(op.service() + " " + op.label(), op.changesState() ? "changes state without "
                                + "authentication" : "reads without authentication", "T1190 Exploit Public-Facing "
                                + "Application")),
                        List.of("require a bearer token or API key on " + op.label() + " at the gateway")));
            }
        }
        if (depth >= 2) {
            for (ExposedOperation op : target) {
                if (op.unscoped()) {
                    paths.add(path(op.changesState() ? "high" : "medium", List.of(
                            new Step("any credential of any scope", "valid token or API key",
                                    "T1078 Valid Accounts"),
                            new Step(op.service() + " " + op.label(), "no scope or role required",
                                    "T1078 Valid Accounts")),
                            List.of("declare the scope " + op.label() + " needs (RequiredControls.scopes)")));
                }
            }
            if (external) {
                credentialPaths(token, surface, target, depth, paths);
                for (PlatformEvidence.Webhook hook : evidence.webhooks(token)) {
                    String host = host(hook.url());
                    if (hook.active() && host != null && isPrivate(host)) {
                        paths.add(path("high", List.of(
                                new Step("webhook " + hook.id() + (hook.name().isBlank() ? "" : " (" + hook.name()
                                        + ")"), "delivers the tenant's events to " + host + ", a private or "
                                        + "loopback address", "T1090 Proxy"),
                                new Step(host, "reached from inside the platform's network by audit-service",
                                        "T1210 Exploitation of Remote Services")),
                                List.of("point webhook " + hook.id() + " at a public receiver")));
                    }
                }
            }
            webhookPaths(tenantId, paths);
        }
        paths.sort(Comparator.comparingInt(p -> -Playbook.SEVERITIES.indexOf(p.severity())));
        Analysis analysis = new Analysis(UUID.randomUUID(), paths, surface.services(), surface.unreadable());
        store(analysis.analysisId(), tenantId, "analysis", targetAsset, analysis);
        return analysis;
    }

    private void credentialPaths(String token, PlatformSurface.Surface surface, List<ExposedOperation> target,
                                 int depth, List<AttackPath> paths) {
        Instant now = clock.instant();
        for (PlatformEvidence.ApiKey key : evidence.apiKeys(token)) {
            if (!key.status().equals("active") && !key.status().equals("deprecated")) {
                continue;
            }
            Set<String> scopes = Set.copyOf(key.scopes());
            boolean admin = scopes.contains("admin");
            Instant lastUse = key.lastUsedAt() == null ? key.createdAt() : key.lastUsedAt();
            boolean stale = lastUse.isBefore(now.minus(STALE_AFTER));
            if (!admin && !stale) {
                continue;
            }
            List<ExposedOperation> reached = target.stream().filter(op -> op.authenticated()
                    && op.admits(scopes, Set.of(), true)).toList();
            List<Step> steps = new ArrayList<>();
            steps.add(new Step("API key " + key.id() + (key.name().isBlank() ? "" : " (" + key.name() + ")"),
                    admin ? "carries the admin scope, which holds every scope"
                            : "unused since " + lastUse + ": nobody would notice its misuse",
                    "T1552 Unsecured Credentials"));
            steps.add(new Step(reached.size() + " operations of the target", reached.stream().limit(3)
                    .map(ExposedOperation::label).toList() + (reached.size() > 3 ? " and more" : "")
                    + " admit the key", "T1078 Valid Accounts"));
            if (depth >= 3) {
                surface.operations().stream().filter(op -> op.issuesCredentials() && op.admits(scopes, Set.of(), true))
                        .findFirst().ifPresent(op -> steps.add(new Step(op.service() + " " + op.label(),
                                "issues new credentials to the key's holder", "T1098 Account Manipulation")));
            }
            List<String> mitigations = new ArrayList<>();
            if (admin) {
                mitigations.add("replace key " + key.id() + " with one holding only the scopes it needs");
            }
            if (stale) {
                mitigations.add("revoke key " + key.id() + ", unused since " + lastUse);
            }
            if (key.expiresAt() == null) {
                mitigations.add("give key " + key.id() + " an expiry");
            }
            paths.add(path(admin ? "critical" : scopes.stream().anyMatch(s -> s.startsWith("write")) ? "high"
                    : "medium", steps, mitigations));
        }
    }

    private void webhookPaths(String tenantId, List<AttackPath> paths) {
        for (Playbook playbook : playbooks.playbooks(tenantId)) {
            for (Playbook.Action action : playbook.actions()) {
                if (!(action.parameters().get("url") instanceof String url)) {
                    continue;
                }
                String host = host(url);
                if (host != null && isPrivate(host)) {
                    paths.add(path("medium", List.of(
                            new Step("playbook " + playbook.name(), "its " + action.type() + " action posts to "
                                    + host + ", a private or loopback address", "T1090 Proxy"),
                            new Step(host, "reached from inside the platform's network by this service",
                                    "T1210 Exploitation of Remote Services")),
                            List.of("post playbook " + playbook.name() + "'s incidents to a public receiver")));
                }
            }
        }
    }

    private static @Nullable String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isPrivate(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".internal") || h.endsWith(".local")
                || h.endsWith(".svc") || h.contains(".svc.")) {
            return true;
        }
        if (!IPV4.matcher(h).matches() && !h.startsWith("[")) {
            return false;
        }
        try {
            // an IP literal: no name lookup happens
            InetAddress address = InetAddress.getByName(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || (address.getAddress().length == 16
                    && (address.getAddress()[0] & 0xfe) == 0xfc);
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public record PathTaken(String entryPoint, String objective, String service, String operation, String access) {
    }

    public record Simulation(UUID simulationId, double successProbability, List<PathTaken> pathsTaken,
                             List<String> assetsCompromised, String timeToObjective, List<String> objectivesMissed) {
    }

    /** A credential as a simulation's entry point names it. */
    record Credential(String name, boolean present, Set<String> scopes, Set<String> roles) {
    }

    /**
     * Which objectives the entry points reach: an objective (a service, a path prefix, or {@code METHOD /path}) is
     * reached when an entry point's credential passes one of its operations.
     */
    public Simulation simulate(String tenantId, String token, String scenario, List<String> entryPoints,
                               List<String> objectives) {
        PlatformSurface.Surface surface = platform.read();
        InvalidField.Problems problems = new InvalidField.Problems();
        List<Credential> credentials = new ArrayList<>();
        List<PlatformEvidence.ApiKey> keys = null;
        for (int i = 0; i < entryPoints.size(); i++) {
            String entry = entryPoints.get(i);
            if (entry.startsWith("api_key:")) {
                if (keys == null) {
                    keys = evidence.apiKeys(token);
                }
                String id = entry.substring("api_key:".length());
                Optional<PlatformEvidence.ApiKey> key = keys.stream().filter(k -> k.id().equals(id)).findFirst();
                if (key.isEmpty()) {
                    problems.add("entryPoints[" + i + "]", "the tenant has no API key " + id);
                } else {
                    boolean usable = key.get().status().equals("active") || key.get().status().equals("deprecated");
                    credentials.add(new Credential(entry, usable, Set.copyOf(key.get().scopes()), Set.of()));
                }
            } else {
                Credential credential = credential(entry);
                if (credential == null) {
                    problems.add("entryPoints[" + i + "]", "must be anonymous, scopes:<scope,...>, "
                            + "roles:<role,...> or api_key:<keyId>");
                } else {
                    credentials.add(credential);
                }
            }
        }
        List<List<ExposedOperation>> targets = new ArrayList<>();
        for (int i = 0; i < objectives.size(); i++) {
            List<ExposedOperation> ops = select(surface, objectives.get(i));
            if (ops.isEmpty()) {
                problems.add("objectives[" + i + "]", "names no service, path or operation the gateway exposes");
            }
            targets.add(ops);
        }
        problems.throwIfAny();
        List<PathTaken> taken = new ArrayList<>();
        Set<String> compromised = new LinkedHashSet<>();
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < objectives.size(); i++) {
            boolean reached = false;
            for (Credential credential : credentials) {
                List<ExposedOperation> admitted = targets.get(i).stream()
                        .filter(op -> op.admits(credential.scopes(), credential.roles(), credential.present()))
                        .sorted(Comparator.comparing(op -> !op.changesState())).toList();
                if (admitted.isEmpty()) {
                    continue;
                }
                reached = true;
                ExposedOperation first = admitted.getFirst();
                taken.add(new PathTaken(credential.name(), objectives.get(i), first.service(), first.label(),
                        access(first, credential)));
                admitted.forEach(op -> compromised.add(op.service() + ": " + op.label()));
            }
            if (!reached) {
                missed.add(objectives.get(i));
            }
        }
        int reachedCount = objectives.size() - missed.size();
        double probability = objectives.isEmpty() ? 0.0 : BigDecimal.valueOf((double) reachedCount
                / objectives.size()).setScale(2, RoundingMode.HALF_UP).doubleValue();
        String time = reachedCount == 0 ? "not reached" : reachedCount + (reachedCount == 1 ? " request"
                : " requests");
        Simulation simulation = new Simulation(UUID.randomUUID(), probability, taken, List.copyOf(compromised),
                time, missed);
        store(simulation.simulationId(), tenantId, "simulation", scenario, simulation);
        return simulation;
    }

    private static String access(ExposedOperation op, Credential credential) {
        if (!op.authenticated()) {
            return "public";
        }
        if (op.unscoped()) {
            return "no scope required";
        }
        if (credential.scopes().contains("admin") || credential.roles().contains("admin")) {
            return "admin holds every scope";
        }
        return "scopes " + String.join(", ", op.scopes()) + " held";
    }

    static @Nullable Credential credential(String entry) {
        if (entry.equals("anonymous")) {
            return new Credential(entry, false, Set.of(), Set.of());
        }
        if (entry.startsWith("scopes:") || entry.startsWith("roles:")) {
            Set<String> values = new LinkedHashSet<>();
            for (String v : entry.substring(entry.indexOf(':') + 1).split("[,\\s]+")) {
                if (!v.isBlank()) {
                    values.add(v.strip());
                }
            }
            boolean scopes = entry.startsWith("scopes:");
            return new Credential(entry, true, scopes ? values : Set.of(), scopes ? Set.of() : values);
        }
        return null;
    }

    private static List<ExposedOperation> select(PlatformSurface.Surface surface, String selector) {
        String[] parts = selector.split(" ", 2);
        if (parts.length == 2 && parts[0].matches("[A-Za-z]+") && parts[1].startsWith("/")) {
            return surface.operations().stream().filter(op -> op.method().equalsIgnoreCase(parts[0])
                    && op.path().equals(parts[1])).toList();
        }
        if (selector.startsWith("/")) {
            return surface.operations().stream().filter(op -> op.path().startsWith(selector)).toList();
        }
        return surface.operations().stream().filter(op -> op.service().equals(selector)).toList();
    }

    private static List<ExposedOperation> target(PlatformSurface.Surface surface, String targetAsset,
                                                  String field) {
        if (targetAsset.equals("platform") || targetAsset.equals("*")) {
            return surface.operations();
        }
        List<ExposedOperation> ops = select(surface, targetAsset);
        if (ops.isEmpty()) {
            throw new InvalidField(field, "names no service, path or operation the gateway exposes; services: "
                    + surface.services());
        }
        return ops;
    }

    private static AttackPath path(String severity, List<Step> steps, List<String> mitigations) {
        return new AttackPath(UUID.randomUUID().toString(), severity, steps, mitigations);
    }

    private void store(UUID id, String tenantId, String kind, String subject, Object result) {
        jdbc.update("INSERT INTO attack_surface_report (report_id, tenant_id, kind, subject, result, created_at) "
                + "VALUES (:id, :tenant, :kind, :subject, CAST(:result AS JSONB), :at)",
                new MapSqlParameterSource("id", id).addValue("tenant", tenantId).addValue("kind", kind)
                        .addValue("subject", subject).addValue("result", json.writeValueAsString(result))
                        .addValue("at", Timestamp.from(clock.instant())));
    }
}
