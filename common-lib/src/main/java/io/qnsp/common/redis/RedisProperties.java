package io.qnsp.common.redis;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Platform-wide Redis settings.
 *
 * @param keyPrefix      prepended to every key and stream name the platform writes
 * @param commandTimeout    how long one command may take before Redis counts as unreachable
 * @param reconnectMaxDelay the longest wait between two attempts to reconnect to a Redis that went away, so an
 *                          instance is back within about this long of Redis returning (Lettuce's own default grows
 *                          to 30 s, during which every command is refused)
 */
@ConfigurationProperties("qnsp.redis")
public record RedisProperties(@DefaultValue("qnsp:") String keyPrefix,
                              @DefaultValue("500ms") Duration commandTimeout,
                              @DefaultValue("1s") Duration reconnectMaxDelay) {
}
