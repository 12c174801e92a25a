package io.qnsp.common.envelope;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PagedTests {

    @Test
    void totalPagesRoundsUpAndIsZeroForNoItems() {
        assertThat(Paged.of(List.of(), 1, 20, 0).totalPages()).isZero();
        assertThat(Paged.of(List.of("a"), 1, 20, 1).totalPages()).isEqualTo(1);
        assertThat(Paged.of(List.of("a"), 1, 20, 20).totalPages()).isEqualTo(1);
        assertThat(Paged.of(List.of("a"), 1, 20, 21).totalPages()).isEqualTo(2);
        assertThat(Paged.of(List.of("a"), 8, 20, 156).totalPages()).isEqualTo(8);
    }

    @Test
    void mappingKeepsThePagination() {
        Paged<Integer> lengths = Paged.of(List.of("a", "bb"), 2, 2, 5).map(String::length);

        assertThat(lengths).isEqualTo(new Paged<>(List.of(1, 2), 2, 2, 5, 3));
    }

    @Test
    void pagesStartAtOne() {
        assertThatThrownBy(() -> Paged.of(List.of(), 0, 20, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Paged.of(List.of(), 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEnvelopeOfAPageCarriesItsPagination() {
        Map<String, Object> body = DataHubEnvelope.success(Paged.of(List.of("x"), 1, 1, 2), "req-9",
                Instant.parse("2024-01-15T10:30:00Z"));

        assertThat(body).containsOnlyKeys("success", "data", "pagination", "meta");
        assertThat(body.get("data")).isEqualTo(List.of("x"));
        assertThat(body.get("pagination")).isEqualTo(Map.of("page", 1, "pageSize", 1, "totalItems", 2L,
                "totalPages", 2L));
        assertThat(body.get("meta")).isEqualTo(Map.of("requestId", "req-9", "timestamp", "2024-01-15T10:30:00Z"));
    }
}
