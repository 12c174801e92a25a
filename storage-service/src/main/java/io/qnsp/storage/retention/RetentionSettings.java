package io.qnsp.storage.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How retention is enforced.
 *
 * @param sweepInterval how often objects whose retention ended get their policy's action
 */
@ConfigurationProperties("qnsp.storage.retention")
public record RetentionSettings(@DefaultValue("1m") Duration sweepInterval) {
}
