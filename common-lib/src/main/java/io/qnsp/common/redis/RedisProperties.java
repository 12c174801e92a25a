package io.qnsp.common.redis;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Platform-wide Redis settings.
 *
 * @param keyPrefix      prepended to every key and stream name the platform writes
 * @param commandTimeout how long one command may take before Redis counts as unreachable
 */
@ConfigurationProperties("qnsp.redis")
public record RedisProperties(@DefaultValue("qnsp:") String keyPrefix,
                              @DefaultValue("500ms") Duration commandTimeout) {
}
