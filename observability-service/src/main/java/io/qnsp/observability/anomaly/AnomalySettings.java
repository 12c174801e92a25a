package io.qnsp.observability.anomaly;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of anomaly detection.
 *
 * @param evaluationInterval how often every rule is evaluated over the last complete minute
 * @param baselineMinutes    the rolling baseline of a deviation rule that names none, in minutes before the judged one
 * @param minBaselineMinutes the fewest baseline minutes with a value a deviation rule needs before it judges
 * @param retention          how long per-minute request metrics are kept
 */
@ConfigurationProperties("qnsp.observability.anomaly")
public record AnomalySettings(@DefaultValue("60s") Duration evaluationInterval,
                              @DefaultValue("60") int baselineMinutes,
                              @DefaultValue("10") int minBaselineMinutes,
                              @DefaultValue("14d") Duration retention) {
}
