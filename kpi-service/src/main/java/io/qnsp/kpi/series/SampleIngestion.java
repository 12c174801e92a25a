package io.qnsp.kpi.series;

import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.events.UsageEvent;
import io.qnsp.kpi.definition.PlatformKpis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds the series: a tenant's samples through the ingest API, and the platform's KPIs from its request-log and
 * usage events, each event one sample keyed by its event id so that a redelivered event counts once.
 */
@Service
public class SampleIngestion {

    private static final Logger log = LoggerFactory.getLogger(SampleIngestion.class);

    static final int MAX_TENANT = 200;
    static final int MAX_VALUE = 256;

    private final Samples samples;

    SampleIngestion(Samples samples) {
        this.samples = samples;
    }

    /** Stores checked samples of the tenant's KPI; answers how many were new. */
    @Transactional
    public int ingest(String tenant, String kpi, List<Sample> batch) {
        return samples.insert(tenant, kpi, batch);
    }

    /** One API request of a tenant: a sample of {@link PlatformKpis#REQUEST_DURATION}. */
    void record(RequestLogEvent event) {
        if (!belongsToATenant(event.tenantId(), event.eventId() + " (request log)")) {
            return;
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        put(dimensions, PlatformKpis.METHOD, event.method());
        put(dimensions, PlatformKpis.STATUS, Integer.toString(event.statusCode()));
        put(dimensions, PlatformKpis.STATUS_CLASS, event.statusCode() / 100 + "xx");
        put(dimensions, PlatformKpis.RATE_LIMITED, Boolean.toString(event.rateLimited()));
        Instant at = event.timestamp() == null ? Instant.now() : event.timestamp();
        samples.insert(event.tenantId(), PlatformKpis.REQUEST_DURATION, List.of(new Sample(at,
                Math.max(0, event.durationMs()), dimensions, eventKey(event.eventId().toString()))));
    }

    /** One billable operation of a tenant: a sample of {@link PlatformKpis#USAGE} valued by its quantity. */
    void record(UsageEvent event) {
        if (!belongsToATenant(event.tenantId(), event.eventId() + " (usage)")) {
            return;
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        put(dimensions, PlatformKpis.OPERATION, event.operation());
        put(dimensions, PlatformKpis.SERVICE, event.service());
        Instant at = event.occurredAt() == null ? Instant.now() : event.occurredAt();
        samples.insert(event.tenantId(), PlatformKpis.USAGE, List.of(new Sample(at, event.quantity(), dimensions,
                eventKey(event.eventId().toString()))));
    }

    static String eventKey(String eventId) {
        return "event:" + eventId;
    }

    private static boolean belongsToATenant(String tenant, String what) {
        if (tenant == null || tenant.isBlank()) {
            // the platform operator's own calls belong to no tenant's series
            return false;
        }
        if (tenant.length() > MAX_TENANT) {
            log.warn("Event {} names a tenant id longer than {} characters; it is not counted", what, MAX_TENANT);
            return false;
        }
        return true;
    }

    private static void put(Map<String, String> dimensions, String name, String value) {
        if (value != null && !value.isBlank()) {
            dimensions.put(name, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value);
        }
    }
}
