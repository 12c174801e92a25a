package io.qnsp.securitymonitoring.playbook;

import io.qnsp.common.events.AuditEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PlaybookTriggersTests {

    private static AuditEvent event(String action, String outcome, Map<String, String> details) {
        return new AuditEvent(UUID.randomUUID(), Instant.now(), "t", "a", action, "api_key", "k", outcome, "r",
                "auth-service", details);
    }

    private static Playbook.Trigger trigger(List<String> types, String threshold, TriggerFilters filters) {
        return new Playbook.Trigger(types, threshold, filters);
    }

    private static final TriggerFilters NONE = new TriggerFilters(null, null, Map.of(), 1, 300);

    @Test
    void severityComesFromTheStatedLevelTheRiskScoreOrTheOutcome() {
        assertThat(PlaybookTriggers.severity(event("x.y", "success", Map.of("severity", "CRITICAL"))))
                .isEqualTo("critical");
        assertThat(PlaybookTriggers.severity(event("x.y", "success", Map.of("riskScore", "80")))).isEqualTo("critical");
        assertThat(PlaybookTriggers.severity(event("x.y", "success", Map.of("riskScore", "79.9")))).isEqualTo("high");
        assertThat(PlaybookTriggers.severity(event("x.y", "success", Map.of("riskScore", "30")))).isEqualTo("medium");
        assertThat(PlaybookTriggers.severity(event("x.y", "success", Map.of("riskScore", "abc")))).isEqualTo("low");
        assertThat(PlaybookTriggers.severity(event("x.y", "denied", Map.of()))).isEqualTo("medium");
    }

    @Test
    void anEventMatchesByTypeThresholdAndFilters() {
        AuditEvent failure = event("auth.api_key.verification_failed", "failure", Map.of("errorCode", "INVALID_API_KEY"));
        assertThat(PlaybookTriggers.matches(trigger(List.of("auth.api_key.verification_failed"), null, NONE), failure))
                .isTrue();
        assertThat(PlaybookTriggers.matches(trigger(List.of("*"), "medium", NONE), failure)).isTrue();
        assertThat(PlaybookTriggers.matches(trigger(List.of("*"), "high", NONE), failure)).isFalse();
        assertThat(PlaybookTriggers.matches(trigger(List.of("other.event"), null, NONE), failure)).isFalse();
        assertThat(PlaybookTriggers.matches(trigger(List.of("*"), null,
                new TriggerFilters("failure", "api_key", Map.of("errorCode", "INVALID_API_KEY"), 3, 60)), failure))
                .isTrue();
        assertThat(PlaybookTriggers.matches(trigger(List.of("*"), null,
                new TriggerFilters("success", null, Map.of(), 1, 60)), failure)).isFalse();
        assertThat(PlaybookTriggers.matches(trigger(List.of("*"), null,
                new TriggerFilters(null, "secret", Map.of(), 1, 60)), failure)).isFalse();
        assertThat(PlaybookTriggers.matches(trigger(List.of("*"), null,
                new TriggerFilters(null, null, Map.of("errorCode", "OTHER"), 1, 60)), failure)).isFalse();
    }

    @Test
    void occurrencesAreCountedForTheEventsResourceOrForItsActor() {
        AuditEvent denied = new AuditEvent(UUID.randomUUID(), Instant.now(), "t", "key_01", "auth.api_key.created",
                "api_key", null, "denied", "r", "auth-service", Map.of());
        assertThat(NONE.subject()).isEqualTo(TriggerFilters.RESOURCE);
        assertThat(NONE.subjectOf(denied)).isEmpty();
        assertThat(new TriggerFilters("denied", null, Map.of(), 3, 60, TriggerFilters.ACTOR).subjectOf(denied))
                .isEqualTo("key_01");
        assertThat(NONE.subjectOf(event("x.y", "failure", Map.of()))).isEqualTo("k");
    }
}
