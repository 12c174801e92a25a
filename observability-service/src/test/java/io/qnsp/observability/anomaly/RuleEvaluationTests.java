package io.qnsp.observability.anomaly;

import io.qnsp.common.error.InvalidField;
import io.qnsp.observability.metrics.Metric;
import io.qnsp.observability.metrics.MinuteAggregate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RuleEvaluationTests {

    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aDeviationNeedsEnoughBaselineMinutes() {
        AnomalyRule rule = rule(Metric.REQUEST_COUNT, "deviation", Map.of("baselineMinutes", 30));
        List<MinuteAggregate> history = counts(30, 100, 5);
        assertThat(RuleEvaluation.judge(rule, history.subList(25, 31), 10)).isEmpty();
        // 5 requests against about 100 a minute, once the baseline is long enough
        assertThat(RuleEvaluation.judge(rule, history, 10)).hasValueSatisfying(j -> assertThat(j.anomalous())
                .isTrue());
        assertThat(RuleEvaluation.judge(rule, counts(30, 100, 101), 10)).hasValueSatisfying(j ->
                assertThat(j.anomalous()).isFalse());
    }

    @Test
    void aDropInTrafficIsADeviationOnlyWhenDownIsWatched() {
        List<MinuteAggregate> history = counts(30, 100, 0);
        AnomalyRule both = rule(Metric.REQUEST_COUNT, "deviation", Map.of());
        AnomalyRule up = rule(Metric.REQUEST_COUNT, "deviation", Map.of("direction", "up"));
        assertThat(RuleEvaluation.judge(both, history, 10).orElseThrow().anomalous()).isTrue();
        assertThat(RuleEvaluation.judge(up, history, 10).orElseThrow().anomalous()).isFalse();
    }

    @Test
    void aTrendComparesTheLastWindowWithTheOneBefore() {
        AnomalyRule rule = rule(Metric.REQUEST_COUNT, "trend", Map.of("windowMinutes", 5, "changePercent", 50));
        List<MinuteAggregate> minutes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            minutes.add(count(i, i < 5 ? 100 : 160));
        }
        Judgement judgement = RuleEvaluation.judge(rule, minutes, 10).orElseThrow();
        assertThat(judgement.anomalous()).isTrue();
        assertThat(judgement.score()).isEqualTo(60.0);
        assertThat(judgement.expected()).isEqualTo(100.0);
        assertThat(judgement.severity()).isEqualTo("medium");
    }

    @Test
    void aRateOfAlmostNoRequestsIsNotJudged() {
        AnomalyRule rule = rule(Metric.ERROR_RATE, "threshold", Map.of("above", 0.5));
        MinuteAggregate oneFailure = new MinuteAggregate("t", START, 1, 1, 0, 0, 10, 10);
        assertThat(RuleEvaluation.judge(rule, List.of(oneFailure), 10)).isEmpty();
        MinuteAggregate manyFailures = new MinuteAggregate("t", START, 10, 6, 0, 0, 100, 10);
        assertThat(RuleEvaluation.judge(rule, List.of(manyFailures), 10).orElseThrow().anomalous()).isTrue();
    }

    @Test
    void conditionsAreParsedByType() {
        InvalidField.Problems problems = new InvalidField.Problems();
        assertThat(Condition.parse("threshold", Map.of("above", 3, "below", 5), problems)).isNull();
        assertThat(problems.isEmpty()).isFalse();
        Condition deviation = Condition.parse("deviation", Map.of("zScore", 4.5), new InvalidField.Problems());
        assertThat(deviation.parameters()).containsEntry("zScore", 4.5).containsEntry("direction", "both");
    }

    static AnomalyRule rule(Metric metric, String type, Map<String, Object> parameters) {
        return new AnomalyRule(UUID.randomUUID(), "t", "r", metric, Condition.stored(type, parameters),
                Sensitivity.MEDIUM, List.of(), "me", START);
    }

    /** {@code baseline} minutes around {@code level} (plus or minus 2), then one minute of {@code last}. */
    static List<MinuteAggregate> counts(int baseline, long level, long last) {
        List<MinuteAggregate> minutes = new ArrayList<>();
        for (int i = 0; i < baseline; i++) {
            minutes.add(count(i, level + (i % 5) - 2));
        }
        minutes.add(count(baseline, last));
        return minutes;
    }

    static MinuteAggregate count(int minute, long requests) {
        return new MinuteAggregate("t", START.plus(Duration.ofMinutes(minute)), requests, 0, 0, 0, requests * 10,
                20);
    }
}
