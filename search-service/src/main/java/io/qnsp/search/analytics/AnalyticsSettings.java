package io.qnsp.search.analytics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of search analytics.
 *
 * @param reformulationWindow a clicked query that the same caller follows with another query within this time was
 *                            not satisfied by its results
 */
@ConfigurationProperties("qnsp.search.analytics")
public record AnalyticsSettings(@DefaultValue("60s") Duration reformulationWindow) {
}
