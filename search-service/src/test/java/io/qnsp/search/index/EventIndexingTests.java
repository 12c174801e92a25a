package io.qnsp.search.index;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventIndexingTests {

    @Test
    void dottedNamesAndPathsReadAsWords() {
        assertThat(EventIndexing.words("auth.api_key.created")).isEqualTo("auth api key created");
        assertThat(EventIndexing.words("/vault/v1/secrets/ledger-archive")).isEqualTo("vault v1 secrets ledger archive");
    }
}
