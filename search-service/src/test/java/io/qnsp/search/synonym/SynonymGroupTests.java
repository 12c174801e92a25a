package io.qnsp.search.synonym;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SynonymGroupTests {

    static SynonymGroup group(String type, List<String> terms, List<String> indices) {
        return new SynonymGroup(UUID.randomUUID(), "t", "g", type, terms, indices, Instant.EPOCH);
    }

    @Test
    void anEquivalentGroupLetsEveryTermStandForTheOthers() {
        SynonymGroup group = group(SynonymGroup.EQUIVALENT, List.of("delete", "remove", "purge"), List.of());
        assertThat(group.expansionsOf("remove")).containsExactly("delete", "purge");
        assertThat(group.expansionsOf("erase")).isEmpty();
        assertThat(group.sources()).containsExactly("delete", "remove", "purge");
    }

    @Test
    void aOneWayGroupLetsOnlyItsFirstTermStandForTheOthers() {
        SynonymGroup group = group(SynonymGroup.ONE_WAY, List.of("credential", "api key", "secret"), List.of());
        assertThat(group.expansionsOf("credential")).containsExactly("api key", "secret");
        assertThat(group.expansionsOf("secret")).isEmpty();
        assertThat(group.sources()).containsExactly("credential");
    }

    @Test
    void aGroupAppliesToItsIndicesOrToAllWhenItNamesNone() {
        assertThat(group(SynonymGroup.EQUIVALENT, List.of("a", "b"), List.of()).appliesTo("secrets")).isTrue();
        SynonymGroup logs = group(SynonymGroup.EQUIVALENT, List.of("a", "b"), List.of("request-logs"));
        assertThat(logs.appliesTo("request-logs")).isTrue();
        assertThat(logs.appliesTo("secrets")).isFalse();
        // a query over every index is rewritten by every group
        assertThat(logs.appliesTo(null)).isTrue();
    }
}
