package io.qnsp.access.crosstenant;

import io.qnsp.access.decision.DecisionLog;
import io.qnsp.access.policy.Effect;
import io.qnsp.access.policy.Policies;
import io.qnsp.access.policy.Policy;
import io.qnsp.access.policy.PolicyDefinition;
import io.qnsp.access.policy.PrincipalPattern;
import io.qnsp.access.policy.ResourcePattern;
import io.qnsp.access.policy.Rule;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The platform operator's view across tenants, computed from the store: an overview, a comparison of policies,
 * anomalies derived from the decision log and the policy history, the access graph, and an isolation audit that
 * runs real checks. A principal's home tenant is the one it was first seen in (a decision or a JIT request); access
 * a tenant allows to a principal homed elsewhere is cross-tenant access.
 */
@Service
public class CrossTenantAnalysis {

    public static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");
    public static final List<String> ANOMALY_TYPES = List.of("unusual_access", "policy_drift",
            "privilege_escalation");

    private final CrossTenantFacts facts;
    private final Policies policies;
    private final DecisionLog decisionLog;
    private final Clock clock;

    CrossTenantAnalysis(CrossTenantFacts facts, Policies policies, DecisionLog decisionLog, Clock clock) {
        this.facts = facts;
        this.policies = policies;
        this.decisionLog = decisionLog;
        this.clock = clock;
    }

    // ---- overview ----

    public record TenantOverview(String tenantId,
                                 @Schema(description = "the tenant's id: names live in auth-service") String tenantName,
                                 long userCount, long roleCount, long policyCount) {
    }

    public record CrossTenantAccess(String sourceTenant, String targetTenant, long accessCount) {
    }

    public record Overview(List<TenantOverview> tenants, List<CrossTenantAccess> crossTenantAccess) {
    }

    public Overview overview(List<String> tenantIds, boolean includeMetrics) {
        // decisions still queued on this instance belong to the log read here
        decisionLog.flush();
        List<String> tenants = facts.tenants(tenantIds);
        Map<String, Set<String>> users = facts.users(tenants);
        Map<String, Set<String>> groups = facts.loggedGroups(tenants);
        Map<String, List<Policy>> byTenant = byTenant(tenants.isEmpty() ? List.of() : policies.allOf(tenants));
        List<TenantOverview> overview = new ArrayList<>();
        for (String tenant : tenants) {
            List<Policy> own = byTenant.getOrDefault(tenant, List.of());
            Set<String> tenantUsers = new TreeSet<>(users.getOrDefault(tenant, Set.of()));
            Set<String> roles = new TreeSet<>(groups.getOrDefault(tenant, Set.of()));
            for (Policy policy : own) {
                for (PrincipalPattern principal : policy.rule().principals()) {
                    if (principal.isExact() && principal.type().equals("user")) {
                        tenantUsers.add(principal.id().toString());
                    } else if (principal.type().equals("group") && principal.id().isLiteral()) {
                        roles.add(principal.id().toString());
                    }
                }
            }
            overview.add(new TenantOverview(tenant, tenant, tenantUsers.size(), roles.size(), own.size()));
        }
        List<CrossTenantAccess> access = !includeMetrics || tenants.isEmpty() ? List.of()
                : facts.crossAccess(tenantIds, null).stream()
                .map(a -> new CrossTenantAccess(a.sourceTenant(), a.targetTenant(), a.count())).toList();
        return new Overview(overview, access);
    }

    // ---- compare ----

    /** An item several tenants hold in different forms; tenantDiffs gives its form in each tenant holding it. */
    public record Difference(String policyName, Map<String, Object> tenantDiffs) {
    }

    public record Comparison(List<String> commonPolicies, Map<String, List<String>> uniquePolicies,
                             List<Difference> differences) {
    }

    public record ComparisonResult(Comparison comparison) {
    }

    /**
     * Compares the tenants' policies by name ({@code policies}), the groups they name with what those groups are
     * given ({@code roles}), or the allowed "action on resource" permissions with who holds them
     * ({@code permissions}); only policies naming one of the resource types, when given.
     */
    public ComparisonResult compare(List<String> tenantIds, String type, List<String> resourceTypes) {
        Map<String, List<Policy>> byTenant = byTenant(policies.allOf(tenantIds));
        Map<String, Map<String, Object>> items = new LinkedHashMap<>();
        for (String tenant : tenantIds) {
            Map<String, Object> own = new TreeMap<>();
            for (Policy policy : byTenant.getOrDefault(tenant, List.of())) {
                if (!resourceTypes.isEmpty() && !namesType(policy.rule(), resourceTypes)) {
                    continue;
                }
                PolicyDefinition d = policy.definition();
                switch (type) {
                    case "roles" -> policy.rule().principals().stream()
                            .filter(p -> p.type().equals("group")).forEach(p -> addTo(own, p.id().toString(),
                                    d.effect().apiName() + " " + d.actions() + " on " + d.resources()));
                    case "permissions" -> {
                        if (d.effect() == Effect.ALLOW) {
                            for (String action : d.actions()) {
                                for (String resource : d.resources()) {
                                    d.principals().forEach(p -> addTo(own, action + " on " + resource, p));
                                }
                            }
                        }
                    }
                    default -> {
                        Map<String, Object> shape = new LinkedHashMap<>();
                        shape.put("effect", d.effect().apiName());
                        shape.put("principals", new TreeSet<>(d.principals()));
                        shape.put("resources", new TreeSet<>(d.resources()));
                        shape.put("actions", new TreeSet<>(d.actions()));
                        shape.put("conditions", new TreeMap<>(d.conditions()));
                        own.put(d.name().toLowerCase(java.util.Locale.ROOT), shape);
                    }
                }
            }
            items.put(tenant, own);
        }
        Set<String> all = new TreeSet<>();
        items.values().forEach(own -> all.addAll(own.keySet()));
        List<String> common = new ArrayList<>();
        Map<String, List<String>> unique = new LinkedHashMap<>();
        tenantIds.forEach(tenant -> unique.put(tenant, new ArrayList<>()));
        List<Difference> differences = new ArrayList<>();
        for (String item : all) {
            List<String> holders = tenantIds.stream().filter(t -> items.get(t).containsKey(item)).toList();
            if (holders.size() == tenantIds.size()) {
                common.add(item);
            }
            if (holders.size() == 1) {
                unique.get(holders.getFirst()).add(item);
            }
            if (holders.size() > 1 && holders.stream().map(t -> String.valueOf(items.get(t).get(item)))
                    .distinct().count() > 1) {
                Map<String, Object> diffs = new LinkedHashMap<>();
                holders.forEach(t -> diffs.put(t, items.get(t).get(item)));
                differences.add(new Difference(item, diffs));
            }
        }
        return new ComparisonResult(new Comparison(common, unique, differences));
    }

    @SuppressWarnings("unchecked")
    private static void addTo(Map<String, Object> own, String key, String value) {
        ((Set<String>) own.computeIfAbsent(key, k -> new TreeSet<String>())).add(value);
    }

    private static boolean namesType(Rule rule, List<String> types) {
        return rule.resources().stream().anyMatch(r -> types.stream().anyMatch(t -> r.type().matches(t)));
    }

    // ---- anomalies ----

    public record Anomaly(String anomalyId, String tenantId,
                          @Schema(allowableValues = {"unusual_access", "policy_drift", "privilege_escalation"})
                          String type,
                          @Schema(allowableValues = {"low", "medium", "high", "critical"}) String severity,
                          String description, Instant detectedAt, List<String> affectedResources) {
    }

    public record Anomalies(List<Anomaly> anomalies, long total) {
    }

    /**
     * Unusual access: a principal mostly refused (at least 5 denials making half its decisions or more), or allowed
     * into a tenant other than its home. Policy drift: a policy changed or deleted since then. Privilege
     * escalation: a change that made a policy allow {@code *} (or turned a deny into an allow), and JIT grants of
     * wildcard permissions. Only those of at least the severity given.
     */
    public Anomalies anomalies(List<String> tenantIds, List<String> types, @Nullable String minimumSeverity,
                               Instant since) {
        decisionLog.flush();
        List<Anomaly> found = new ArrayList<>();
        if (types.contains("unusual_access")) {
            for (CrossTenantFacts.Denials denials : facts.denials(tenantIds, since)) {
                if (denials.denied() >= 5 && denials.denied() * 2 >= denials.decisions()) {
                    String severity = denials.denied() >= 50 ? "high" : denials.denied() >= 20 ? "medium" : "low";
                    found.add(anomaly(denials.tenantId(), "unusual_access", severity, denials.principal() + " was "
                                    + "refused " + denials.denied() + " of " + denials.decisions() + " decisions since "
                                    + since, denials.lastDenied(), denials.resources()));
                }
            }
            for (CrossTenantFacts.CrossDecision cross : facts.crossDecisions(tenantIds, since)) {
                found.add(anomaly(cross.tenantId(), "unusual_access", "high", cross.principal() + " of tenant "
                        + cross.homeTenant() + " was allowed " + cross.count() + " time(s) into " + cross.resource()
                        + " of tenant " + cross.tenantId(), cross.last(), List.of(cross.resource())));
            }
        }
        if (types.contains("policy_drift") || types.contains("privilege_escalation")) {
            Map<String, List<Policies.Change>> byPolicy = new LinkedHashMap<>();
            for (Policies.Change change : policies.changesSince(tenantIds, since)) {
                byPolicy.computeIfAbsent(change.tenantId() + "/" + change.policyId(), k -> new ArrayList<>())
                        .add(change);
                if (types.contains("privilege_escalation") && change.after() != null) {
                    String escalation = escalation(change.before(), change.after());
                    if (escalation != null) {
                        found.add(anomaly(change.tenantId(), "privilege_escalation",
                                change.after().wildcardGrants().size() == 3 ? "critical" : "high",
                                "Policy '" + change.policyName() + "' " + escalation + " (" + change.changeType()
                                        + " by " + change.changedBy() + ")", change.changedAt(),
                                change.after().resources()));
                    }
                }
            }
            if (types.contains("policy_drift")) {
                for (List<Policies.Change> changes : byPolicy.values()) {
                    List<Policies.Change> drift = changes.stream().filter(c -> !c.changeType().equals("create"))
                            .toList();
                    if (drift.isEmpty()) {
                        continue;
                    }
                    Policies.Change last = drift.getLast();
                    Set<String> resources = new TreeSet<>();
                    for (Policies.Change change : drift) {
                        if (change.before() != null) {
                            resources.addAll(change.before().resources());
                        }
                        if (change.after() != null) {
                            resources.addAll(change.after().resources());
                        }
                    }
                    found.add(anomaly(last.tenantId(), "policy_drift", drift.size() >= 3 ? "medium" : "low",
                            "Policy '" + last.policyName() + "' was changed " + drift.size() + " time(s) since "
                                    + since + (last.changeType().equals("delete") ? ", last by deletion" : ""),
                            last.changedAt(), List.copyOf(resources)));
                }
            }
            if (types.contains("privilege_escalation")) {
                for (CrossTenantFacts.WideGrant grant : facts.wideGrants(tenantIds, since)) {
                    found.add(anomaly(grant.tenantId(), "privilege_escalation", "medium", "JIT grant "
                            + grant.grantId() + " gives " + grant.principal() + " wildcard permissions on "
                            + grant.resource(), grant.grantedAt(), List.of(grant.resource())));
                }
            }
        }
        int minimum = minimumSeverity == null ? 0 : SEVERITIES.indexOf(minimumSeverity);
        List<Anomaly> kept = found.stream().filter(a -> SEVERITIES.indexOf(a.severity()) >= minimum)
                .sorted(Comparator.comparing(Anomaly::detectedAt).reversed().thenComparing(Anomaly::anomalyId))
                .toList();
        return new Anomalies(kept, kept.size());
    }

    private static @Nullable String escalation(@Nullable PolicyDefinition before, PolicyDefinition after) {
        List<String> wildcards = after.wildcardGrants();
        List<String> had = before == null ? List.of() : before.wildcardGrants();
        List<String> added = wildcards.stream().filter(w -> !had.contains(w)).toList();
        if (!added.isEmpty()) {
            return "now allows * as " + String.join(", ", added);
        }
        if (before != null && before.effect() == Effect.DENY && after.effect() == Effect.ALLOW) {
            return "turned from deny into allow";
        }
        return null;
    }

    private static Anomaly anomaly(String tenantId, String type, String severity, String description,
                                   Instant detectedAt, List<String> resources) {
        // the same finding keeps its id from one query to the next
        String id = UUID.nameUUIDFromBytes((type + "\n" + tenantId + "\n" + description + "\n" + detectedAt)
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new Anomaly(id, tenantId, type, severity, description, detectedAt, List.copyOf(resources));
    }

    // ---- graph ----

    public record Node(String id, @Schema(allowableValues = {"tenant", "user", "resource"}) String type,
                       String label, Map<String, Object> metadata) {
    }

    public record Edge(String source, String target,
                       @Schema(allowableValues = {"access", "membership"}) String type,
                       @Schema(description = "decisions: allowed ones for access, all for membership") long weight) {
    }

    public record Graph(List<Node> nodes, List<Edge> edges) {
    }

    /**
     * Tenants, the principals seen in their decision logs (a membership edge to each tenant they were decided in)
     * and the resources they were allowed (an access edge weighted by allowed decisions), the heaviest
     * {@code limit} access edges.
     */
    public Graph graph(List<String> tenantIds, int limit) {
        // decisions still queued on this instance belong to the log read here
        decisionLog.flush();
        Map<String, String> homes = facts.homes();
        Map<String, Node> nodes = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        Map<String, List<Policy>> byTenant = byTenant(policies.allOf(tenantIds));
        for (String tenant : facts.tenants(tenantIds)) {
            nodes.put("tenant:" + tenant, new Node("tenant:" + tenant, "tenant", tenant,
                    Map.of("policyCount", byTenant.getOrDefault(tenant, List.of()).size())));
        }
        List<CrossTenantFacts.Access> accesses = facts.accesses(tenantIds, limit);
        Set<String> principalsShown = new LinkedHashSet<>();
        for (CrossTenantFacts.Access access : accesses) {
            String user = "user:" + access.principal();
            String resource = "resource:" + access.tenantId() + "/" + access.resourceType() + ":" + access.resourceId();
            principalsShown.add(access.principal());
            nodes.computeIfAbsent(resource, id -> new Node(id, "resource", access.resourceType() + ":"
                    + access.resourceId(), Map.of("tenantId", access.tenantId(), "resourceType",
                    access.resourceType())));
            edges.add(new Edge(user, resource, "access", access.allowed()));
        }
        for (CrossTenantFacts.Membership membership : facts.memberships(tenantIds)) {
            if (!principalsShown.contains(membership.principal()) && principalsShown.size() >= limit) {
                continue;
            }
            String user = "user:" + membership.principal();
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("principalType", membership.principalType());
            metadata.put("homeTenant", homes.getOrDefault(membership.principal(), membership.tenantId()));
            nodes.putIfAbsent(user, new Node(user, "user", membership.principal(), metadata));
            nodes.putIfAbsent("tenant:" + membership.tenantId(), new Node("tenant:" + membership.tenantId(), "tenant",
                    membership.tenantId(), Map.of("policyCount", 0)));
            edges.add(new Edge(user, "tenant:" + membership.tenantId(), "membership", membership.decisions()));
        }
        edges.removeIf(edge -> !nodes.containsKey(edge.source()) || !nodes.containsKey(edge.target()));
        return new Graph(List.copyOf(nodes.values()), edges);
    }

    // ---- isolation audit ----

    public record Check(String checkName, @Schema(allowableValues = {"passed", "failed"}) String status,
                        String details) {
    }

    public record Violation(String type, @Schema(allowableValues = {"low", "medium", "high", "critical"})
    String severity, String description, String remediation) {
    }

    public record Audit(UUID auditId, @Schema(allowableValues = {"passed", "failed", "warning"}) String status,
                        List<Check> checks, List<Violation> violations, Instant auditedAt) {
    }

    /**
     * Runs each check over the store (all tenants, or those given): policies name only their own tenant's
     * principals and resources, JIT grants belong to their request's tenant and requester, no request was approved
     * by its requester, no policy allows everything to everyone, and no tenant allows principals homed in another.
     * Failed when a violation is high or critical, warning when only lower ones, passed otherwise.
     */
    @Transactional
    public Audit audit(List<String> tenantIds, String actor) {
        // decisions still queued on this instance belong to the log read here
        decisionLog.flush();
        Map<String, String> homes = facts.homes();
        Map<String, Set<String>> resourceTenants = facts.loggedResources();
        List<Policy> all = policies.allOf(tenantIds);
        List<Check> checks = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();

        List<Violation> found = new ArrayList<>();
        for (Policy policy : all) {
            for (PrincipalPattern principal : policy.rule().principals()) {
                if (!principal.isExact() || principal.type().equals("group")) {
                    continue;
                }
                String home = homes.get(principal.id().toString());
                if (home != null && !home.equals(policy.tenantId())) {
                    found.add(new Violation("foreign_principal_in_policy", "high", "Policy '" + policy.name()
                            + "' (" + policy.policyId() + ") of tenant " + policy.tenantId() + " names "
                            + principal.text() + ", a principal of tenant " + home,
                            "Remove the principal from the policy, or grant access within its own tenant"));
                }
            }
        }
        record(checks, violations, "policies_name_own_principals", found, all.size() + " policies checked");

        found = new ArrayList<>();
        for (Policy policy : all) {
            for (ResourcePattern resource : policy.rule().resources()) {
                if (!resource.isExact()) {
                    continue;
                }
                Set<String> seenIn = resourceTenants.getOrDefault(resource.text(), Set.of());
                if (!seenIn.isEmpty() && !seenIn.contains(policy.tenantId())) {
                    found.add(new Violation("foreign_resource_in_policy", "medium", "Policy '" + policy.name()
                            + "' (" + policy.policyId() + ") of tenant " + policy.tenantId() + " names "
                            + resource.text() + ", a resource only tenant(s) " + seenIn + " decided on",
                            "Check that the resource belongs to the tenant, or remove it from the policy"));
                }
            }
        }
        record(checks, violations, "policies_name_own_resources", found, all.size() + " policies checked");

        found = new ArrayList<>();
        for (String grant : facts.foreignGrants(tenantIds)) {
            found.add(new Violation("foreign_jit_grant", "critical", "JIT grant " + grant + " does not belong to "
                    + "the tenant or the principal of its request", "Revoke the grant and investigate how it was made"));
        }
        record(checks, violations, "jit_grants_match_their_requests", found, "grants joined with their requests");

        found = new ArrayList<>();
        for (String[] approval : facts.selfApprovals(tenantIds)) {
            found.add(new Violation("self_approved_jit_request", "high", "JIT request " + approval[1] + " of tenant "
                    + approval[0] + " was approved by its own requester", "Revoke its grant and review the approval"));
        }
        record(checks, violations, "jit_requests_approved_by_others", found, "approved requests checked");

        found = new ArrayList<>();
        for (Policy policy : all) {
            if (policy.definition().wildcardGrants().size() == 3) {
                found.add(new Violation("allow_all_policy", "medium", "Policy '" + policy.name() + "' ("
                        + policy.policyId() + ") of tenant " + policy.tenantId() + " allows every action on every "
                        + "resource to everyone", "Narrow its principals, resources or actions"));
            }
        }
        record(checks, violations, "no_policy_allows_everything", found, all.size() + " policies checked");

        found = new ArrayList<>();
        for (CrossTenantFacts.CrossAccess access : facts.crossAccess(tenantIds, null)) {
            found.add(new Violation("cross_tenant_access", "high", access.count() + " decision(s) of tenant "
                    + access.targetTenant() + " allowed principals of tenant " + access.sourceTenant(),
                    "Review the policies and grants of tenant " + access.targetTenant() + " that allow them"));
        }
        record(checks, violations, "no_cross_tenant_allows", found, "allowed decisions checked against homes");

        String status = violations.stream().anyMatch(v -> v.severity().equals("high")
                || v.severity().equals("critical")) ? "failed" : violations.isEmpty() ? "passed" : "warning";
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Audit audit = new Audit(UUID.randomUUID(), status, checks, violations, now);
        facts.saveAudit(audit.auditId(), status, audit, now, actor);
        return audit;
    }

    private static void record(List<Check> checks, List<Violation> violations, String name, List<Violation> found,
                               String scope) {
        checks.add(new Check(name, found.isEmpty() ? "passed" : "failed",
                found.isEmpty() ? scope + ": none found" : scope + ": " + found.size() + " violation(s)"));
        violations.addAll(found);
    }

    private static Map<String, List<Policy>> byTenant(List<Policy> all) {
        Map<String, List<Policy>> byTenant = new HashMap<>();
        all.forEach(policy -> byTenant.computeIfAbsent(policy.tenantId(), t -> new ArrayList<>()).add(policy));
        return byTenant;
    }

    public Instant now() {
        return clock.instant();
    }
}
