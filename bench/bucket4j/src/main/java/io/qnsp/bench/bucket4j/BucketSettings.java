package io.qnsp.bench.bucket4j;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every API key's bucket: {@code burstCapacity} tokens refilled greedily at {@code tokensPerSecond}, stored under
 * {@code keyPrefix + apiKey}. The defaults admit everything a benchmark can send.
 */
@ConfigurationProperties("bench")
record BucketSettings(@DefaultValue("1000000") long tokensPerSecond, @DefaultValue("10000000") long burstCapacity,
        @DefaultValue("bench:b4j:") String keyPrefix) {
}
