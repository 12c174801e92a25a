package io.qnsp.audit.ingestion;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventStreamListener;
import io.qnsp.common.events.RequestLogEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Subscribes audit-service to the {@code audit} and {@code request-log} streams through common-lib's consumers. */
@Configuration(proxyBeanMethods = false)
class IngestionConfiguration {

    static final String GROUP = "audit-service";

    @Bean
    EventStreamListener<AuditEvent> auditEvents(StoredEvents events) {
        return new EventStreamListener<>(AuditEvent.STREAM, GROUP, AuditEvent.class, events::store);
    }

    @Bean
    EventStreamListener<RequestLogEvent> requestLogEvents(StoredEvents events) {
        return new EventStreamListener<>(RequestLogEvent.STREAM, GROUP, RequestLogEvent.class, events::store);
    }
}
