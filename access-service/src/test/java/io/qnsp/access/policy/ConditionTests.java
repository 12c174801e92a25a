package io.qnsp.access.policy;

import io.qnsp.common.error.InvalidField;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each condition operator on the attributes it reads, the shorthands, patterns, and the refusals naming the field. */
class ConditionTests {

    private static final Instant NOON = Instant.parse("2025-06-02T12:00:00Z");

    private static Rule allow(Map<String, Object> conditions, String principal, String resource, String action) {
        InvalidField.Problems problems = new InvalidField.Problems();
        PolicyDefinition definition = PolicyDefinition.of("p", null, "allow", List.of(principal), List.of(resource),
                List.of(action), conditions, "", problems);
        problems.throwIfAny();
        return definition.rule("p");
    }

    private static AccessRequest request(Map<String, Object> attributes, Map<String, Object> environment) {
        return new AccessRequest(new AccessRequest.Principal("user", "alice", List.of("staff")),
                new AccessRequest.Resource("doc", "reports/2025/q1", attributes), "read", environment, null);
    }

    private static boolean holds(Map<String, Object> conditions, AccessRequest request) {
        return allow(conditions, "*", "*", "*").match(request, NOON) != null;
    }

    @Test
    void equalityAndSetsCompareNumbersByValueAndStringsExactly() {
        AccessRequest request = request(Map.of("level", 3, "classification", "internal", "tags", List.of("a", "b")),
                Map.of());
        assertThat(holds(Map.of("resource.level", 3.0), request)).isTrue();
        assertThat(holds(Map.of("resource.level", "3"), request)).isFalse();
        assertThat(holds(Map.of("resource.classification", Map.of("equals", "internal")), request)).isTrue();
        assertThat(holds(Map.of("resource.classification", Map.of("equals", "Internal")), request)).isFalse();
        assertThat(holds(Map.of("resource.classification", List.of("public", "internal")), request)).isTrue();
        assertThat(holds(Map.of("resource.classification", Map.of("in", List.of("public"))), request)).isFalse();
        // a multi-valued attribute holds when one of its values does
        assertThat(holds(Map.of("resource.tags", Map.of("in", List.of("b", "z"))), request)).isTrue();
        assertThat(holds(Map.of("principal.groups", "staff"), request)).isTrue();
        // an attribute the request does not carry never holds
        assertThat(holds(Map.of("resource.owner", "alice"), request)).isFalse();
    }

    @Test
    void numericRangesIncludeOrExcludeTheirBounds() {
        AccessRequest request = request(Map.of("amount", 1000), Map.of());
        assertThat(holds(Map.of("resource.amount", Map.of("gte", 1000, "lte", 1000)), request)).isTrue();
        assertThat(holds(Map.of("resource.amount", Map.of("gt", 1000)), request)).isFalse();
        assertThat(holds(Map.of("resource.amount", Map.of("lt", 1000.5)), request)).isTrue();
        assertThat(holds(Map.of("resource.amount", Map.of("gt", 0, "lt", 1000)), request)).isFalse();
    }

    @Test
    void timeRangesReadTheRequestTimestampOrTheEvaluationTime() {
        AccessRequest now = request(Map.of(), Map.of());
        assertThat(holds(Map.of("time", Map.of("after", "2025-06-02T11:59:59Z", "before", "2025-06-02T12:00:01Z")),
                now)).isTrue();
        assertThat(holds(Map.of("time", Map.of("before", "2025-06-02T12:00:00Z")), now)).isFalse();
        assertThat(holds(Map.of("time", Map.of("timeOfDay", Map.of("start", "22:00", "end", "06:00"))), now))
                .isFalse();
        AccessRequest night = new AccessRequest(now.principal(), now.resource(), "read", Map.of(),
                Instant.parse("2025-06-02T23:30:00Z"));
        assertThat(holds(Map.of("time", Map.of("timeOfDay", Map.of("start", "22:00", "end", "06:00"))), night))
                .isTrue();
        AccessRequest dated = request(Map.of("expires", "2030-01-01T00:00:00Z"), Map.of());
        assertThat(holds(Map.of("resource.expires", Map.of("after", "2029-12-31T23:59:59+00:00")), dated)).isTrue();
    }

    @Test
    void ipRangesMatchV4AndV6AndNeverLookUpNames() {
        Map<String, Object> corporate = Map.of("environment.sourceIp", Map.of("cidr",
                List.of("10.0.0.0/8", "192.168.1.128/25", "2001:db8::/32")));
        assertThat(holds(corporate, request(Map.of(), Map.of("sourceIp", "10.200.3.4")))).isTrue();
        assertThat(holds(corporate, request(Map.of(), Map.of("sourceIp", "192.168.1.200")))).isTrue();
        assertThat(holds(corporate, request(Map.of(), Map.of("sourceIp", "192.168.1.127")))).isFalse();
        assertThat(holds(corporate, request(Map.of(), Map.of("sourceIp", "2001:db8:1::5")))).isTrue();
        assertThat(holds(corporate, request(Map.of(), Map.of("sourceIp", "2001:db9::5")))).isFalse();
        assertThat(holds(corporate, request(Map.of(), Map.of("sourceIp", "localhost")))).isFalse();
        assertThat(holds(corporate, request(Map.of(), Map.of("sourceIp", 10)))).isFalse();
    }

    @Test
    void principalsResourcesAndActionsMatchByPattern() {
        AccessRequest request = request(Map.of(), Map.of());
        assertThat(allow(Map.of(), "group:staff", "doc:reports/*", "re*").match(request, NOON)).isEmpty();
        assertThat(allow(Map.of(), "user:al*", "doc:*/q1", "read").match(request, NOON)).isNotNull();
        assertThat(allow(Map.of(), "service:*", "*", "*").match(request, NOON)).isNull();
        assertThat(allow(Map.of(), "*", "doc:reports", "*").match(request, NOON)).isNull();
        assertThat(allow(Map.of(), "*", "*:reports/2025/q1", "write").match(request, NOON)).isNull();
    }

    @Test
    void theConditionsThatHeldAreNamedInTheReason() {
        Rule rule = allow(Map.of("resource.level", Map.of("gte", 2), "environment.sourceIp", Map.of("cidr",
                "10.0.0.0/8")), "*", "*", "*");
        List<String> held = rule.match(request(Map.of("level", 5), Map.of("sourceIp", "10.0.0.1")), NOON);
        assertThat(held).containsExactlyInAnyOrder("resource.level gte 2", "environment.sourceIp cidr \"10.0.0.0/8\"");
    }

    @Test
    void everyBrokenConditionIsNamedByItsField() {
        InvalidField.Problems problems = new InvalidField.Problems();
        Condition.parseAll(Map.of("owner", "x", "resource.level", Map.of("between", 1),
                "environment.sourceIp", Map.of("cidr", "10.0.0.0/33"), "time", Map.of("after", "yesterday"),
                "resource.amount", Map.of("gt", "ten")), "conditions", problems);
        assertThatThrownBy(problems::throwIfAny).isInstanceOfSatisfying(InvalidField.class, invalid ->
                assertThat(invalid.details().get("fields").toString()).contains("conditions.owner",
                        "conditions.resource.level.between", "conditions.environment.sourceIp.cidr",
                        "conditions.time.after", "conditions.resource.amount.gt"));
    }
}
