package io.qnsp.access.decision;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of run-time decisions.
 *
 * @param cacheMaxAge      the longest an instance uses its copy of a tenant's policies without reloading it, even when
 *                         no newer version was published (bounds the effect of a lost publication)
 * @param logFlushInterval how often the decision log's queue is written to the database
 * @param logBatchSize     decisions written per statement batch
 * @param logQueueCapacity decisions waiting to be written; beyond it a decision is dropped from the log (counted and
 *                         logged), never the check itself
 * @param logRetention     how long the decision log keeps a decision
 */
@Validated
@ConfigurationProperties("qnsp.access.decisions")
public record DecisionSettings(@DefaultValue("5m") Duration cacheMaxAge,
                               @DefaultValue("250ms") Duration logFlushInterval,
                               @DefaultValue("500") @Min(1) int logBatchSize,
                               @DefaultValue("100000") @Min(1) int logQueueCapacity,
                               @DefaultValue("30d") Duration logRetention) {
}
