package io.qnsp.kpi.idempotency;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Two requests are the same when method, path, query parameters and body value are. */
class RequestFingerprintTests {

    @Test
    void aJsonBodyCountsAsItsValue() {
        assertThat(of("POST", "/q", null, "{\"a\":1,\"b\":{\"c\":[1,2]}}"))
                .isEqualTo(of("POST", "/q", null, " {\"b\" : {\"c\":[1, 2]},\n\"a\":1}"));
        assertThat(of("POST", "/q", null, "{\"a\":1}")).isNotEqualTo(of("POST", "/q", null, "{\"a\":2}"));
        assertThat(of("POST", "/q", null, "{\"a\":[1,2]}")).isNotEqualTo(of("POST", "/q", null, "{\"a\":[2,1]}"));
        assertThat(of("POST", "/q", null, "{\"a\":1}")).isNotEqualTo(of("POST", "/q", null, "{\"a\":1} trailing"));
    }

    @Test
    void methodPathAndQueryCount() {
        assertThat(of("GET", "/d", "name=a&limit=5", "")).isEqualTo(of("GET", "/d", "limit=5&name=a", ""));
        assertThat(of("GET", "/d", "name=a", "")).isNotEqualTo(of("GET", "/d", "name=b", ""));
        assertThat(of("GET", "/d", null, "")).isNotEqualTo(of("POST", "/d", null, ""));
        assertThat(of("GET", "/d", null, "")).isNotEqualTo(of("GET", "/e", null, ""));
        assertThat(of("POST", "/d", null, "not json")).isNotEqualTo(of("POST", "/d", null, "not  json"));
    }

    private static String of(String method, String path, String query, String body) {
        return java.util.HexFormat.of().formatHex(RequestFingerprint.of(method, path, query,
                body.getBytes(StandardCharsets.UTF_8)));
    }
}
