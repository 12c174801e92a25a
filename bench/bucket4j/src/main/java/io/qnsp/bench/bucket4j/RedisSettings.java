package io.qnsp.bench.bucket4j;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where the buckets live. */
@ConfigurationProperties("redis")
record RedisSettings(@DefaultValue("redis://localhost:6379") String url) {
}
