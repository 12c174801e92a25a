package io.qnsp.access.simulation;

import io.qnsp.access.decision.DecisionLog;
import io.qnsp.access.decision.TenantPolicies;
import io.qnsp.access.policy.AccessRequest;
import io.qnsp.access.policy.Decision;
import io.qnsp.access.policy.Effect;
import io.qnsp.access.policy.Evaluation;
import io.qnsp.access.policy.Glob;
import io.qnsp.access.policy.Policy;
import io.qnsp.access.policy.PolicyManagement;
import io.qnsp.access.policy.PrincipalPattern;
import io.qnsp.access.policy.ResourcePattern;
import io.qnsp.access.policy.Rule;
import io.qnsp.common.web.PathIds;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Impact analysis: replays every known request under the tenant's current rules and under the rules the proposed
 * change would leave, and reports exactly which decisions flip. Known requests are the distinct requests of the
 * decision log (with their attributes and context) and every combination of the principals, resources and actions
 * the policies (current and proposed) name exactly. Each is decided at the moment it named, or now.
 */
@Service
public class ImpactAnalysis {

    private final TenantPolicies tenantPolicies;
    private final PolicyManagement policies;
    private final DecisionLog decisionLog;
    private final Simulations simulations;
    private final ImpactSettings settings;
    private final Clock clock;

    ImpactAnalysis(TenantPolicies tenantPolicies, PolicyManagement policies, DecisionLog decisionLog,
                   Simulations simulations, ImpactSettings settings, Clock clock) {
        this.tenantPolicies = tenantPolicies;
        this.policies = policies;
        this.decisionLog = decisionLog;
        this.simulations = simulations;
        this.settings = settings;
        this.clock = clock;
    }

    @Transactional
    public ImpactReport analyze(String tenantId, String actor, ProposedChange change, int sampleSize) {
        // decisions still queued on this instance belong to the log the analysis reads
        decisionLog.flush();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Rule> current = tenantPolicies.load(tenantId).rules();
        List<Rule> proposed = apply(tenantId, current, change);
        List<String> warnings = new ArrayList<>();

        Map<String, AccessRequest> known = new LinkedHashMap<>();
        for (AccessRequest request : decisionLog.knownRequests(tenantId, settings.maxKnownRequests() + 1)) {
            known.putIfAbsent(key(request), request);
        }
        boolean truncated = known.size() > settings.maxKnownRequests();
        if (!truncated) {
            truncated = addNamedRequests(current, proposed, known);
        }
        List<AccessRequest> requests = new ArrayList<>(known.values());
        if (requests.size() > settings.maxKnownRequests()) {
            requests = requests.subList(0, settings.maxKnownRequests());
        }
        if (truncated) {
            warnings.add("The analysis replayed the first " + settings.maxKnownRequests() + " known requests only; "
                    + "the counts may be higher");
        }

        List<ImpactReport.Sample> flips = new ArrayList<>();
        Set<String> principals = new TreeSet<>();
        Set<String> resources = new TreeSet<>();
        Set<String> admins = new LinkedHashSet<>();
        int granted = 0;
        int revoked = 0;
        for (AccessRequest request : requests) {
            Instant at = request.timestamp() != null ? request.timestamp() : now;
            Decision before = Evaluation.evaluate(current, request, at);
            Decision after = Evaluation.evaluate(proposed, request, at);
            if (before.decision() == after.decision()) {
                continue;
            }
            if (after.allowed()) {
                granted++;
            } else {
                revoked++;
                if (isAdmin(request.principal())) {
                    admins.add(request.principal().name() + " (" + request.action() + " on "
                            + request.resource().name() + ")");
                }
            }
            principals.add(request.principal().name());
            resources.add(request.resource().name());
            flips.add(new ImpactReport.Sample(request.principal().name(), request.resource().name(),
                    request.action(), before.decision(), after.decision()));
        }
        if (change.newPolicy() != null && !change.newPolicy().wildcardGrants().isEmpty()) {
            warnings.add("The change allows * as " + String.join(", ", change.newPolicy().wildcardGrants())
                    + " in policy '" + change.newPolicy().name() + "': it grants to anyone or anything");
        }
        for (String admin : admins) {
            warnings.add("The change revokes access of administrator " + admin);
        }
        flips.sort(Comparator.comparing(ImpactReport.Sample::principal).thenComparing(ImpactReport.Sample::resource)
                .thenComparing(ImpactReport.Sample::action));
        UUID analysisId = UUID.randomUUID();
        ImpactReport report = new ImpactReport(new ImpactReport.ImpactSummary(principals.size(), resources.size(),
                granted, revoked), List.copyOf(flips.subList(0, Math.min(sampleSize, flips.size()))),
                List.copyOf(warnings), analysisId, requests.size(), change.type(), change.policyId(), now);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("analysisId", analysisId.toString());
        summary.put("changeType", change.type());
        summary.put("permissionsGranted", granted);
        summary.put("permissionsRevoked", revoked);
        summary.put("warnings", warnings.size());
        simulations.insert(tenantId, new Simulations.Entry(analysisId, "impact", actor, now, summary), report);
        return report;
    }

    /** An analysis the tenant ran before, as it answered then. */
    public ImpactReport get(String tenantId, String analysisId) {
        return simulations.result(tenantId, PathIds.parse(analysisId, ImpactAnalysisNotFound::new), ImpactReport.class)
                .orElseThrow(ImpactAnalysisNotFound::new);
    }

    private List<Rule> apply(String tenantId, List<Rule> current, ProposedChange change) {
        List<Rule> proposed = new ArrayList<>(current);
        if (!change.type().equals("create")) {
            Policy target = policies.get(tenantId, change.policyId());
            proposed.removeIf(rule -> rule.id().equals(target.policyId().toString()));
            if (change.type().equals("update")) {
                proposed.add(change.newPolicy().rule(target.policyId().toString()));
            }
        } else {
            proposed.add(change.newPolicy().rule("proposed"));
        }
        return proposed;
    }

    /** Adds each principal x resource x action the rules name exactly; answers whether the limit cut it short. */
    private boolean addNamedRequests(List<Rule> current, List<Rule> proposed, Map<String, AccessRequest> known) {
        Set<String> principals = new TreeSet<>();
        Set<String> resources = new TreeSet<>();
        Set<String> actions = new TreeSet<>();
        for (List<Rule> rules : List.of(current, proposed)) {
            for (Rule rule : rules) {
                rule.principals().stream().filter(PrincipalPattern::isExact).forEach(p -> principals.add(p.text()));
                rule.resources().stream().filter(ResourcePattern::isExact).forEach(r -> resources.add(r.text()));
                rule.actions().stream().filter(Glob::isLiteral).forEach(a -> actions.add(a.toString()));
            }
        }
        for (String principal : principals) {
            int p = principal.indexOf(':');
            for (String resource : resources) {
                int r = resource.indexOf(':');
                for (String action : actions) {
                    AccessRequest request = new AccessRequest(
                            new AccessRequest.Principal(principal.substring(0, p), principal.substring(p + 1), List.of()),
                            new AccessRequest.Resource(resource.substring(0, r), resource.substring(r + 1), Map.of()),
                            action, Map.of(), null);
                    known.putIfAbsent(key(request), request);
                    if (known.size() > settings.maxKnownRequests()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean isAdmin(AccessRequest.Principal principal) {
        Set<String> adminGroups = new java.util.HashSet<>();
        settings.adminGroups().forEach(group -> adminGroups.add(group.toLowerCase(Locale.ROOT)));
        if (principal.type().equals("group") && adminGroups.contains(principal.id().toLowerCase(Locale.ROOT))) {
            return true;
        }
        return principal.groups().stream().anyMatch(group -> adminGroups.contains(group.toLowerCase(Locale.ROOT)));
    }

    /** Two requests are the same known request when every part of them is. */
    private static String key(AccessRequest request) {
        return request.principal().type() + "\u0000" + request.principal().id() + "\u0000"
                + new TreeSet<>(request.principal().groups()) + "\u0000" + request.resource().type() + "\u0000"
                + request.resource().id() + "\u0000" + canonical(request.resource().attributes()) + "\u0000"
                + request.action() + "\u0000" + canonical(request.environment()) + "\u0000" + request.timestamp();
    }

    private static String canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder text = new StringBuilder("{");
            java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            sorted.forEach((k, v) -> text.append(k).append('=').append(canonical(v)).append(','));
            return text.append('}').toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ImpactAnalysis::canonical).toList().toString();
        }
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
