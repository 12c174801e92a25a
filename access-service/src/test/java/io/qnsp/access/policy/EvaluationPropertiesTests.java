package io.qnsp.access.policy;

import io.qnsp.common.error.InvalidField;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the decision rules over random policy sets drawn from a small vocabulary (so that policies often
 * overlap): the answer does not depend on the order of the policies, an explicit deny always overrides an allow,
 * an allow needs a matching allow, and adding policies moves decisions only the way their effect says.
 */
class EvaluationPropertiesTests {

    private static final Instant NOW = Instant.parse("2025-06-02T10:15:30Z");

    @Property(tries = 300)
    void theDecisionDoesNotDependOnTheOrderOfThePolicies(@ForAll("policySets") List<Rule> rules,
                                                         @ForAll("requests") AccessRequest request,
                                                         @ForAll long seed) {
        List<Rule> shuffled = new ArrayList<>(rules);
        Collections.shuffle(shuffled, new Random(seed));
        List<Rule> reversed = new ArrayList<>(rules);
        Collections.reverse(reversed);

        Decision original = Evaluation.evaluate(rules, request, NOW);
        assertThat(Evaluation.evaluate(shuffled, request, NOW)).isEqualTo(original);
        assertThat(Evaluation.evaluate(reversed, request, NOW)).isEqualTo(original);
    }

    @Property(tries = 300)
    void aMatchingDenyAlwaysOverridesEveryAllow(@ForAll("policySets") List<Rule> rules,
                                                @ForAll("requests") AccessRequest request) {
        Decision decision = Evaluation.evaluate(rules, request, NOW);
        boolean anyDenyMatches = rules.stream()
                .anyMatch(rule -> rule.effect() == Effect.DENY && rule.match(request, NOW) != null);
        boolean anyAllowMatches = rules.stream()
                .anyMatch(rule -> rule.effect() == Effect.ALLOW && rule.match(request, NOW) != null);

        assertThat(decision.decision()).isEqualTo(!anyDenyMatches && anyAllowMatches ? Effect.ALLOW : Effect.DENY);
        if (anyDenyMatches) {
            assertThat(decision.effectivePolicies()).isNotEmpty().allSatisfy(id -> assertThat(rules.stream()
                    .filter(rule -> rule.id().equals(id)).findFirst().orElseThrow().effect()).isEqualTo(Effect.DENY));
        }
        if (!anyDenyMatches && !anyAllowMatches) {
            assertThat(decision.reasons()).isEmpty();
            assertThat(decision.effectivePolicies()).isEmpty();
        }
        // every reason is a rule that matches, with exactly its conditions
        for (Decision.Reason reason : decision.reasons()) {
            Rule rule = rules.stream().filter(r -> r.id().equals(reason.policyId())).findFirst().orElseThrow();
            assertThat(reason.matchedConditions()).isEqualTo(rule.match(request, NOW));
        }
    }

    @Property(tries = 200)
    void addingADenyThatMatchesTurnsAnyDecisionIntoDeny(@ForAll("policySets") List<Rule> rules,
                                                        @ForAll("requests") AccessRequest request,
                                                        @ForAll("policies") Rule extra) {
        Rule deny = new Rule("zz-deny", extra.name(), Effect.DENY, extra.principals(), extra.resources(),
                extra.actions(), extra.conditions(), null);
        List<Rule> withDeny = new ArrayList<>(rules);
        withDeny.add(deny);
        Decision before = Evaluation.evaluate(rules, request, NOW);
        Decision after = Evaluation.evaluate(withDeny, request, NOW);
        if (deny.match(request, NOW) != null) {
            assertThat(after.decision()).isEqualTo(Effect.DENY);
            assertThat(after.effectivePolicies()).contains("zz-deny");
        } else {
            assertThat(after).isEqualTo(before);
        }
    }

    @Property(tries = 200)
    void addingAnAllowNeverTurnsAnAllowIntoADeny(@ForAll("policySets") List<Rule> rules,
                                                 @ForAll("requests") AccessRequest request,
                                                 @ForAll("policies") Rule extra) {
        Rule allow = new Rule("zz-allow", extra.name(), Effect.ALLOW, extra.principals(), extra.resources(),
                extra.actions(), extra.conditions(), null);
        List<Rule> withAllow = new ArrayList<>(rules);
        withAllow.add(allow);
        Decision before = Evaluation.evaluate(rules, request, NOW);
        Decision after = Evaluation.evaluate(withAllow, request, NOW);
        if (before.allowed()) {
            assertThat(after.allowed()).isTrue();
        }
        boolean denyMatches = rules.stream()
                .anyMatch(rule -> rule.effect() == Effect.DENY && rule.match(request, NOW) != null);
        if (denyMatches) {
            assertThat(after.decision()).isEqualTo(Effect.DENY);
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<Rule>> policySets() {
        return policies().list().ofMinSize(0).ofMaxSize(12).map(EvaluationPropertiesTests::uniqueIds);
    }

    private static List<Rule> uniqueIds(List<Rule> rules) {
        List<Rule> unique = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            unique.add(new Rule("p" + i, rule.name(), rule.effect(), rule.principals(), rule.resources(),
                    rule.actions(), rule.conditions(), rule.expiresAt()));
        }
        return unique;
    }

    @Provide
    Arbitrary<Rule> policies() {
        Arbitrary<String> effect = Arbitraries.of("allow", "deny");
        Arbitrary<List<String>> principals = Arbitraries.of("*", "user:alice", "user:bob", "user:*",
                "group:admins", "service:billing", "service:*").list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<List<String>> resources = Arbitraries.of("*", "doc:1", "doc:*", "doc:reports/*", "bucket:b1",
                "*:1").list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<List<String>> actions = Arbitraries.of("read", "write", "*", "re*", "delete").list()
                .ofMinSize(1).ofMaxSize(2);
        Arbitrary<Map<String, Object>> conditions = Arbitraries.of(
                Map.<String, Object>of(),
                Map.<String, Object>of("resource.level", Map.of("gte", 2)),
                Map.<String, Object>of("resource.level", Map.of("lt", 4)),
                Map.<String, Object>of("environment.sourceIp", Map.of("cidr", "10.0.0.0/8")),
                Map.<String, Object>of("resource.classification", List.of("public", "internal")),
                Map.<String, Object>of("time", Map.of("timeOfDay", Map.of("start", "09:00", "end", "17:00"))),
                Map.<String, Object>of("resource.owner", "alice"));
        Arbitrary<String> names = Arbitraries.of("a", "b", "c", "d");
        return Combinators.combine(names, effect, principals, resources, actions, conditions)
                .as((name, e, p, r, a, c) -> {
                    InvalidField.Problems problems = new InvalidField.Problems();
                    PolicyDefinition definition = PolicyDefinition.of(name, null, e, p, r, a, c, "", problems);
                    problems.throwIfAny();
                    return definition.rule("p");
                });
    }

    @Provide
    Arbitrary<List<AccessRequest>> requestLists() {
        return requests().list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<AccessRequest> requests() {
        Arbitrary<AccessRequest.Principal> principal = Arbitraries.of(
                new AccessRequest.Principal("user", "alice", List.of()),
                new AccessRequest.Principal("user", "bob", List.of("admins")),
                new AccessRequest.Principal("user", "carol", List.of("staff")),
                new AccessRequest.Principal("service", "billing", List.of()),
                new AccessRequest.Principal("group", "admins", List.of()));
        Arbitrary<String> resourceId = Arbitraries.of("doc:1", "doc:reports/q1", "bucket:b1", "bucket:1");
        Arbitrary<Integer> level = Arbitraries.integers().between(0, 5);
        Arbitrary<String> classification = Arbitraries.of("public", "internal", "secret");
        Arbitrary<String> ip = Arbitraries.of("10.1.2.3", "192.168.0.1", "2001:db8::1");
        Arbitrary<String> action = Arbitraries.of("read", "write", "delete", "rename");
        return Combinators.combine(principal, resourceId, level, classification, ip, action)
                .as((p, resource, l, c, address, a) -> {
                    int colon = resource.indexOf(':');
                    return new AccessRequest(p, new AccessRequest.Resource(resource.substring(0, colon),
                            resource.substring(colon + 1), Map.of("level", l, "classification", c, "owner", "alice")),
                            a, Map.of("sourceIp", address), null);
                });
    }

    @Property(tries = 50)
    void aTimeWindowIsJudgedAtTheEvaluationTime(@ForAll("requestLists") List<AccessRequest> requests) {
        InvalidField.Problems problems = new InvalidField.Problems();
        Rule officeHours = PolicyDefinition.of("office", null, "allow", List.of("*"), List.of("*"), List.of("*"),
                Map.of("time", Map.of("timeOfDay", Map.of("start", "09:00", "end", "17:00"))), "", problems)
                .rule("office");
        for (AccessRequest request : requests) {
            assertThat(Evaluation.evaluate(List.of(officeHours), request, NOW).allowed()).isTrue();
            assertThat(Evaluation.evaluate(List.of(officeHours), request, Instant.parse("2025-06-02T17:00:00Z"))
                    .allowed()).isFalse();
        }
    }
}
