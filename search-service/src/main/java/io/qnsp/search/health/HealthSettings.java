package io.qnsp.search.health;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;

/**
 * Settings of index health.
 *
 * @param deadRowRatioWarning dead rows above this share of an index's rows (live and dead) turn it yellow
 */
@ConfigurationProperties("qnsp.search.health")
public record HealthSettings(@DefaultValue("0.2") BigDecimal deadRowRatioWarning) {
}
