package io.qnsp.auth.federation;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryCursorsTests {

    private static final String SECRET = Base64.getEncoder().encodeToString(new byte[32]);

    private final QueryCursors cursors = new QueryCursors(settings(SECRET));
    private final byte[] filters = QueryCursors.fingerprint(criteria(List.of("okta"), false).canonical());
    private final QueryCursors.Position position = new QueryCursors.Position(
            Instant.parse("2025-03-01T10:15:30.123456Z"), UUID.randomUUID());

    static FederationAuditSettings settings(String secret) {
        return new FederationAuditSettings(secret, DataSize.ofKilobytes(8), Duration.ofDays(30),
                Duration.ofMinutes(5), Duration.ofDays(366), 3, 2, Duration.ofMinutes(5), 3, Duration.ofMinutes(1));
    }

    private static EventCriteria criteria(List<String> providers, boolean descending) {
        return new EventCriteria(Instant.parse("2025-01-01T00:00:00Z"), null, List.of("login"), providers,
                List.of(), descending);
    }

    @Test
    void aCursorReadsBackItsPositionToTheMicrosecond() {
        String cursor = cursors.issue("acme", filters, position);
        assertThat(cursor).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(QueryCursors.MAX_LENGTH);
        assertThat(cursors.read("acme", filters, cursor)).isEqualTo(position);
    }

    @Test
    void everyAlteredCharacterIsDetected() {
        String cursor = cursors.issue("acme", filters, position);
        for (int i = 0; i < cursor.length(); i++) {
            char[] chars = cursor.toCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            String altered = new String(chars);
            if (altered.equals(cursor)) {
                continue;
            }
            assertThatThrownBy(() -> cursors.read("acme", filters, altered)).as("position " + i)
                    .isInstanceOf(InvalidCursor.class);
        }
    }

    @Test
    void anotherTenantsCursorIsRefused() {
        String cursor = cursors.issue("acme", filters, position);
        assertThatThrownBy(() -> cursors.read("globex", filters, cursor)).isInstanceOf(InvalidCursor.class)
                .satisfies(e -> assertThat(((InvalidCursor) e).details()).containsEntry("field", "cursor"));
    }

    @Test
    void aCursorIssuedForOtherFiltersOrOrderIsRefused() {
        String cursor = cursors.issue("acme", filters, position);
        byte[] otherProviders = QueryCursors.fingerprint(criteria(List.of("azure"), false).canonical());
        byte[] otherOrder = QueryCursors.fingerprint(criteria(List.of("okta"), true).canonical());
        assertThatThrownBy(() -> cursors.read("acme", otherProviders, cursor)).isInstanceOf(InvalidCursor.class);
        assertThatThrownBy(() -> cursors.read("acme", otherOrder, cursor)).isInstanceOf(InvalidCursor.class);
    }

    @Test
    void theSameFiltersInAnotherOrderAreTheSameQuery() {
        EventCriteria one = new EventCriteria(null, null, List.of("login", "logout"), List.of("a", "b"), List.of(),
                false);
        EventCriteria other = new EventCriteria(null, null, List.of("logout", "login"), List.of("b", "a"), List.of(),
                false);
        assertThat(one.canonical()).isEqualTo(other.canonical());
        // values cannot be shifted between lists or joined to forge the same text
        EventCriteria joined = new EventCriteria(null, null, List.of("login,logout"), List.of("a", "b"), List.of(),
                false);
        assertThat(joined.canonical()).isNotEqualTo(one.canonical());
    }

    @Test
    void aCursorSignedWithAnotherSecretIsRefused() {
        QueryCursors other = new QueryCursors(settings(Base64.getEncoder().encodeToString(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                29, 30, 31, 32})));
        String cursor = other.issue("acme", filters, position);
        assertThatThrownBy(() -> cursors.read("acme", filters, cursor)).isInstanceOf(InvalidCursor.class);
    }

    @Test
    void garbageIsRefusedWithoutFailingOtherwise() {
        for (String garbage : List.of("", "!!!", "AAAA", "x".repeat(500), "é", "AQ")) {
            assertThatThrownBy(() -> cursors.read("acme", filters, garbage)).as(garbage)
                    .isInstanceOf(InvalidCursor.class);
        }
    }

    @Test
    void aShortOrMalformedSecretStopsStartup() {
        assertThatThrownBy(() -> new QueryCursors(settings(Base64.getEncoder().encodeToString(new byte[16]))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new QueryCursors(settings("not base64 !")))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("not base64 !");
    }

    @Test
    void withoutASecretCursorsStillWorkOnTheInstance() {
        QueryCursors random = new QueryCursors(settings(""));
        String cursor = random.issue("acme", filters, position);
        assertThat(random.read("acme", filters, cursor)).isEqualTo(position);
        assertThatThrownBy(() -> cursors.read("acme", filters, cursor)).isInstanceOf(InvalidCursor.class);
    }
}
