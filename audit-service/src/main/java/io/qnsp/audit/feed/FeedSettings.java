package io.qnsp.audit.feed;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the live audit feed.
 *
 * @param pollInterval   how often the store is read for newly committed events
 * @param gapWait        how long a hole in the sequence (a transaction still committing, or one rolled back) holds
 *                       the feed back before it is passed over for good
 * @param batchSize      events read per query
 * @param subscriberQueue events one live subscriber may have waiting; beyond that it catches up from the store
 */
@Validated
@ConfigurationProperties("qnsp.audit.feed")
public record FeedSettings(@DefaultValue("100ms") Duration pollInterval,
                           @DefaultValue("2s") Duration gapWait,
                           @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
                           @DefaultValue("10000") @Min(10) @Max(1_000_000) int subscriberQueue) {
}
