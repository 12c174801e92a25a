package io.qnsp.common.controls;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** The recording outbox and the bean a resourceId expression refers to. */
@TestConfiguration(proxyBeanMethods = false)
class ControlsTestConfiguration {

    @Bean
    RecordingEventOutbox recordingEventOutbox(JdbcTemplate jdbc) {
        return new RecordingEventOutbox(jdbc);
    }

    @Bean
    ControlledController.ResourceIds resourceIds() {
        return new ControlledController.ResourceIds();
    }
}
