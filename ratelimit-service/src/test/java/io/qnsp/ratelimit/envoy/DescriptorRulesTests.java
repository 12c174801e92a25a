package io.qnsp.ratelimit.envoy;

import io.qnsp.ratelimit.envoy.DescriptorRules.Entry;
import io.qnsp.ratelimit.envoy.EnvoySettings.Descriptor;
import io.qnsp.ratelimit.envoy.EnvoySettings.Domain;
import io.qnsp.ratelimit.envoy.EnvoySettings.Unit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Rule matching and bucket ids, and the configuration mistakes that stop the service from starting. */
class DescriptorRulesTests {

    private static Descriptor limit(String key, String value, Unit unit, int perUnit, Descriptor... nested) {
        return new Descriptor(key, value, unit, perUnit, false, List.of(nested));
    }

    private static Descriptor lead(String key, String value, Descriptor... nested) {
        return new Descriptor(key, value, null, null, false, List.of(nested));
    }

    private static final DescriptorRules RULES = new DescriptorRules(Map.of("edge", new Domain(List.of(
            limit("user", null, Unit.HOUR, 5),
            limit("user", "vip", Unit.DAY, 1),
            lead("tenant", null, limit("plan", "gold", Unit.MINUTE, 60))))));

    @Test
    void aFixedValueWinsAndTheBucketCarriesEveryValue() {
        var vip = RULES.match("edge", List.of(new Entry("user", "vip"))).orElseThrow();
        assertThat(vip.limit().requestsPerUnit()).isEqualTo(1);
        var alice = RULES.match("edge", List.of(new Entry("user", "alice"))).orElseThrow();
        assertThat(alice.limit().unit()).isEqualTo(Unit.HOUR);
        assertThat(alice.limit().bucket().capacity()).isEqualTo(5);
        assertThat(alice.limit().bucket().tokensPerSecond()).isEqualTo(5.0 / 3600);
        var bob = RULES.match("edge", List.of(new Entry("user", "bob"))).orElseThrow();
        assertThat(alice.bucketId()).isNotEqualTo(bob.bucketId()).isNotEqualTo(vip.bucketId());
    }

    @Test
    void nestedRulesNeedTheWholeDescriptor() {
        assertThat(RULES.match("edge", List.of(new Entry("tenant", "t1"), new Entry("plan", "gold")))).isPresent();
        assertThat(RULES.match("edge", List.of(new Entry("tenant", "t1")))).isEmpty();
        assertThat(RULES.match("edge", List.of(new Entry("tenant", "t1"), new Entry("plan", "free")))).isEmpty();
        assertThat(RULES.match("edge", List.of(new Entry("plan", "gold")))).isEmpty();
        assertThat(RULES.match("other", List.of(new Entry("user", "vip")))).isEmpty();
    }

    @Test
    void bucketIdsCannotCollideThroughSeparatorsInValuesAndLongOnesAreHashed() {
        String split = DescriptorRules.bucketId("d", List.of(new Entry("a", "b|1:c=2:d")));
        String joined = DescriptorRules.bucketId("d", List.of(new Entry("a", "b"), new Entry("c", "d")));
        assertThat(split).isNotEqualTo(joined);
        String longId = DescriptorRules.bucketId("d", List.of(new Entry("a", "x".repeat(500))));
        assertThat(longId).startsWith("envoy:sha256:").hasSizeLessThan(100);
        assertThat(longId).isNotEqualTo(DescriptorRules.bucketId("d", List.of(new Entry("a", "x".repeat(501)))));
    }

    @Test
    void malformedRulesStopTheStartNamingTheRule() {
        assertThatIllegalArgumentException().isThrownBy(() -> new DescriptorRules(Map.of("edge", new Domain(List.of(
                        new Descriptor("user", null, Unit.HOUR, null, false, List.of()))))))
                .withMessageContaining("qnsp.ratelimit.envoy.domains.edge.descriptors[0]");
        assertThatIllegalArgumentException().isThrownBy(() -> new DescriptorRules(Map.of("edge", new Domain(List.of(
                        lead("tenant", null, limit("plan", null, Unit.DAY, 0)))))))
                .withMessageContaining("descriptors[0].descriptors[0].requests-per-unit");
        assertThatIllegalArgumentException().isThrownBy(() -> new DescriptorRules(Map.of("edge", new Domain(List.of(
                        limit("user", "a", Unit.DAY, 1), limit("user", "a", Unit.HOUR, 2))))))
                .withMessageContaining("same key and value");
        assertThatIllegalArgumentException().isThrownBy(() -> new DescriptorRules(Map.of("edge", new Domain(List.of(
                        limit(" ", null, Unit.DAY, 1))))))
                .withMessageContaining("descriptors[0].key");
    }
}
