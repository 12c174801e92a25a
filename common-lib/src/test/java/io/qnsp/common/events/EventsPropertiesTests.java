package io.qnsp.common.events;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventsPropertiesTests {

    @Test
    void abandonedConsumersAreRemovedAfterTenMinutesByDefault() {
        EventsProperties.Consumer consumer = bind(Map.of()).consumer();

        assertThat(consumer.removeIdleAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(consumer.removeIdleAfter()).isGreaterThan(consumer.claimIdle().multipliedBy(5));
        assertThat(bind(Map.of("qnsp.events.consumer.remove-idle-after", "1h")).consumer().removeIdleAfter())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aRemovalIdleTimeThatARunningConsumerCouldReachBetweenTwoReadsIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("qnsp.events.consumer.poll-interval", "1s",
                "qnsp.events.consumer.remove-idle-after", "4s")))
                .hasStackTraceContaining("remove-idle-after must be at least 5 times the poll interval");
        assertThatThrownBy(() -> bind(Map.of("qnsp.events.consumer.remove-idle-after", "0s")))
                .hasStackTraceContaining("remove-idle-after must be a positive duration");
        assertThat(bind(Map.of("qnsp.events.consumer.poll-interval", "1s",
                "qnsp.events.consumer.remove-idle-after", "5s")).consumer().removeIdleAfter())
                .isEqualTo(Duration.ofSeconds(5));
    }

    private static EventsProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("qnsp.events", EventsProperties.class);
    }
}
