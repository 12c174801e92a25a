package io.qnsp.gateway.requestlog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The request log: an event per API request, buffered in memory and sent to a Redis stream in the background.
 *
 * @param enabled         whether events are recorded at all
 * @param bufferSize      events held in memory at most; when full, new events are dropped (and counted)
 * @param batchSize       events sent to Redis per pipelined round trip
 * @param streamMaxLength approximate number of entries the stream keeps ({@code XADD MAXLEN ~})
 * @param retryInterval   pause after Redis refused a batch before the next attempt
 */
@ConfigurationProperties("qnsp.gateway.request-log")
public record RequestLogProperties(@DefaultValue("true") boolean enabled,
                                   @DefaultValue("10000") int bufferSize,
                                   @DefaultValue("500") int batchSize,
                                   @DefaultValue("1000000") long streamMaxLength,
                                   @DefaultValue("1s") Duration retryInterval) {

    public RequestLogProperties {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("qnsp.gateway.request-log.buffer-size must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("qnsp.gateway.request-log.batch-size must be at least 1");
        }
        if (streamMaxLength < 1) {
            throw new IllegalArgumentException("qnsp.gateway.request-log.stream-max-length must be at least 1");
        }
        if (retryInterval == null || retryInterval.isNegative()) {
            throw new IllegalArgumentException("qnsp.gateway.request-log.retry-interval must not be negative");
        }
    }
}
