package io.qnsp.storage.replication;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How copies to other regions are made and judged.
 *
 * @param pollInterval    how often an instance looks for copies due
 * @param batchSize       copies an instance claims at a time
 * @param lease           how long a claimed copy stays with its instance before another may take it over
 * @param retryBackoff    the pause after a copy's first failure; it doubles with each further failure
 * @param maxRetryBackoff the longest pause between attempts
 * @param lagThreshold    a configuration whose oldest pending copy is older than this is degraded
 * @param errorAttempts   a configuration with a copy that failed this many times is in error
 */
@ConfigurationProperties("qnsp.storage.replication")
public record ReplicationSettings(@DefaultValue("2s") Duration pollInterval, @DefaultValue("20") int batchSize,
                                  @DefaultValue("5m") Duration lease, @DefaultValue("5s") Duration retryBackoff,
                                  @DefaultValue("15m") Duration maxRetryBackoff,
                                  @DefaultValue("5m") Duration lagThreshold, @DefaultValue("5") int errorAttempts) {

    public ReplicationSettings {
        if (batchSize < 1 || errorAttempts < 1 || retryBackoff.isNegative() || maxRetryBackoff.isNegative()) {
            throw new IllegalArgumentException("qnsp.storage.replication: batch-size and error-attempts must be "
                    + "positive, the backoffs not negative");
        }
    }

    /** The pause before the next attempt after the given number of failures. */
    Duration backoff(int failures) {
        Duration pause = retryBackoff;
        for (int i = 1; i < failures && pause.compareTo(maxRetryBackoff) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : pause;
    }
}
