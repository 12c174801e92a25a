package io.qnsp.common.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.ratelimit.RateLimitProperties.RedisFailureMode;
import io.qnsp.common.redis.RedisAutoConfiguration;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.net.ServerSocket;
import java.time.Duration;

import static io.qnsp.common.ratelimit.TestRateLimiters.decisions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class RateLimitAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                    DataRedisReactiveAutoConfiguration.class, RedisAutoConfiguration.class,
                    RateLimitAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + TestRedis.shared().host(),
                    "spring.data.redis.port=" + TestRedis.shared().port(),
                    "qnsp.redis.key-prefix=" + TestRateLimiters.freshKeys().prefix());

    @Test
    void providesARedisRateLimiterWithDefaultSettings() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(RateLimiter.class);
            assertThat(context.getBean(RateLimitProperties.class)).isEqualTo(
                    new RateLimitProperties(RedisFailureMode.LOCAL, Duration.ofSeconds(1), 100_000, 100_000, Duration.ofSeconds(2)));

            RateLimitDecision decision = context.getBean(RateLimiter.class).tryConsume("wired", new BucketLimits(4, 1), 1);
            assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.REDIS);
            assertThat(decision.remainingTokens()).isEqualTo(3);
            String prefix = context.getEnvironment().getProperty("qnsp.redis.key-prefix");
            assertThat(context.getBean(StringRedisTemplate.class).hasKey(prefix + "rl:wired")).isTrue();
            assertThat(decisions(context.getBean(MeterRegistry.class), "allowed", "redis")).isEqualTo(1);
        });
    }

    @Test
    void providesAReactiveRateLimiterOnTheSameRedisAndKeys() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(ReactiveRateLimiter.class);
            BucketLimits limits = new BucketLimits(4, 1);
            RateLimitDecision reactive = context.getBean(ReactiveRateLimiter.class).tryConsume("both", limits, 1)
                    .block();
            assertThat(reactive.source()).isEqualTo(RateLimitDecision.Source.REDIS);
            assertThat(reactive.remainingTokens()).isEqualTo(3);
            assertThat(context.getBean(RateLimiter.class).tryConsume("both", limits, 1).remainingTokens())
                    .isEqualTo(2);
            assertThat(decisions(context.getBean(MeterRegistry.class), "allowed", "redis")).isEqualTo(2);
        });
    }

    @Test
    void backsOffForAReactiveRateLimiterOfTheApplication() {
        ReactiveRateLimiter own = mock(ReactiveRateLimiter.class);
        runner.withBean(ReactiveRateLimiter.class, () -> own)
                .run(context -> assertThat(context.getBean(ReactiveRateLimiter.class)).isSameAs(own));
    }

    @Test
    void withoutAReactiveTemplateThereIsNoReactiveLimiter() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                        RedisAutoConfiguration.class, RateLimitAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.host=" + TestRedis.shared().host(),
                        "spring.data.redis.port=" + TestRedis.shared().port())
                .run(context -> {
                    assertThat(context).hasSingleBean(RateLimiter.class);
                    assertThat(context).doesNotHaveBean(ReactiveRateLimiter.class);
                });
    }

    @Test
    void bindsTheSettings() {
        runner.withPropertyValues("qnsp.ratelimit.redis-failure-mode=fail-open",
                        "qnsp.ratelimit.redis-retry-interval=250ms", "qnsp.ratelimit.denial-memory-size=10",
                        "qnsp.ratelimit.local-buckets-size=20")
                .run(context -> assertThat(context.getBean(RateLimitProperties.class)).isEqualTo(
                        new RateLimitProperties(RedisFailureMode.FAIL_OPEN, Duration.ofMillis(250), 10, 20, Duration.ofSeconds(2))));
    }

    @Test
    void withTheServiceClientSettingsAnUnreachableRedisFallsBackInsteadOfFailing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        runner.withPropertyValues("spring.data.redis.port=" + closedPort,
                        "qnsp.ratelimit.redis-failure-mode=fail-open")
                .run(context -> {
                    RateLimiter limiter = context.getBean(RateLimiter.class);
                    RateLimitDecision decision = limiter.tryConsume("down", new BucketLimits(5, 1), 2);
                    assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.FAIL_OPEN);
                    assertThat(decision.remainingTokens()).isEqualTo(3);
                });
    }

    @Test
    void anInvalidSettingFailsTheStartup() {
        runner.withPropertyValues("qnsp.ratelimit.redis-retry-interval=0s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void backsOffForARateLimiterOfTheApplication() {
        RateLimiter own = mock(RateLimiter.class);
        runner.withBean(RateLimiter.class, () -> own)
                .run(context -> assertThat(context.getBean(RateLimiter.class)).isSameAs(own));
    }

    @Test
    void needsRedis() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RedisAutoConfiguration.class, RateLimitAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).doesNotHaveBean(RateLimiter.class);
                    assertThat(context).doesNotHaveBean(ReactiveRateLimiter.class);
                });
    }
}
