package io.qnsp.common.controls;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** The recording outbox, the bean a resourceId expression refers to, and the controls' clock. */
@TestConfiguration(proxyBeanMethods = false)
class ControlsTestConfiguration {

    /**
     * Time that runs as usual but from noon on the 15th of the current month (UTC), so that no test sees the monthly
     * quota window roll over between two of its requests, whenever it runs.
     */
    @Bean
    Clock controlsClock() {
        Instant midMonth = YearMonth.now(ZoneOffset.UTC).atDay(15).atTime(12, 0).toInstant(ZoneOffset.UTC);
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), midMonth));
    }

    @Bean
    RecordingEventOutbox recordingEventOutbox(JdbcTemplate jdbc) {
        return new RecordingEventOutbox(jdbc);
    }

    @Bean
    ControlledController.ResourceIds resourceIds() {
        return new ControlledController.ResourceIds();
    }
}
