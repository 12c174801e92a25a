package io.qnsp.bench.bucket4j;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** Bucket4j's compare-and-swap proxy manager on one shared Lettuce connection, as the Bucket4j docs set it up. */
@Configuration(proxyBeanMethods = false)
class BucketConfig {

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(RedisSettings redis) {
        return RedisClient.create(redis.url());
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, byte[]> redisConnection(RedisClient client) {
        return client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }

    @Bean
    ProxyManager<String> buckets(StatefulRedisConnection<String, byte[]> connection) {
        // an idle bucket expires a second after it would be full again, as the platform's buckets do
        return Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(1)))
                .build();
    }

    @Bean
    BucketConfiguration bucketConfiguration(BucketSettings settings) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(settings.burstCapacity())
                        .refillGreedy(settings.tokensPerSecond(), Duration.ofSeconds(1)))
                .build();
    }
}
