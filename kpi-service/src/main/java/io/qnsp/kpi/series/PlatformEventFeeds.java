package io.qnsp.kpi.series;

import io.qnsp.common.events.EventStreamListener;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.events.UsageEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Subscribes kpi-service to the {@code request-log} and {@code usage} streams through common-lib's consumers: each
 * event is handled once per event id in a transaction and acknowledged after it committed.
 */
@Configuration(proxyBeanMethods = false)
class PlatformEventFeeds {

    static final String GROUP = "kpi-service";

    @Bean
    EventStreamListener<RequestLogEvent> requestLogSamples(SampleIngestion ingestion) {
        return new EventStreamListener<>(RequestLogEvent.STREAM, GROUP, RequestLogEvent.class, ingestion::record);
    }

    @Bean
    EventStreamListener<UsageEvent> usageSamples(SampleIngestion ingestion) {
        return new EventStreamListener<>(UsageEvent.STREAM, GROUP, UsageEvent.class, ingestion::record);
    }
}
