package io.qnsp.audit.requestlog;

import io.qnsp.common.envelope.Paged;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads the caller's tenant's request logs: pages, one entry, statistics. */
@Service
@Transactional(readOnly = true)
public class RequestLogManagement {

    static final int MAX_PAGE = 1_000_000;

    private final RequestLogs logs;
    private final RequestLogSettings settings;

    RequestLogManagement(RequestLogs logs, RequestLogSettings settings) {
        this.logs = logs;
        this.settings = settings;
    }

    public Paged<RequestLogSummary> list(Caller caller, RequestLogFilter filter, Integer page, Integer pageSize) {
        int number = page == null ? 1 : page;
        if (number < 1 || number > MAX_PAGE) {
            throw new InvalidField("page", "must be between 1 and " + MAX_PAGE);
        }
        int size = pageSize == null ? settings.defaultPageSize() : pageSize;
        if (size < 1 || size > settings.maxPageSize()) {
            throw new InvalidField("pageSize", "must be between 1 and " + settings.maxPageSize());
        }
        long total = logs.count(caller.tenantId(), filter);
        List<RequestLogSummary> items = (long) (number - 1) * size >= total ? List.of()
                : logs.page(caller.tenantId(), filter, number, size);
        return Paged.of(items, number, size, total);
    }

    public RequestLogDetails get(Caller caller, String id) {
        return RequestLogIds.parse(id).flatMap(eventId -> logs.find(caller.tenantId(), eventId))
                .orElseThrow(RequestLogNotFound::new);
    }

    public RequestStats stats(Caller caller, RequestLogFilter filter, StatsPeriod period) {
        DateRange range = filter.range();
        if (range.from() != null && range.until() != null) {
            requireFewPoints(range.from(), range.until(), period);
        }
        RequestLogs.Totals totals = logs.totals(caller.tenantId(), filter);
        if (totals.first() == null) {
            return new RequestStats(totals.summary(), List.of());
        }
        // An open range is bounded by the requests it holds.
        requireFewPoints(range.from() != null ? range.from() : totals.first(),
                range.until() != null ? range.until() : totals.last(), period);
        return new RequestStats(totals.summary(), logs.series(caller.tenantId(), filter, period));
    }

    private void requireFewPoints(Instant from, Instant until, StatsPeriod period) {
        long points = Duration.between(from, until).dividedBy(period.width()) + 1;
        if (points > settings.maxTimeSeriesPoints()) {
            throw new InvalidField("period", "gives more than " + settings.maxTimeSeriesPoints()
                    + " time-series points over this range; narrow startDate/endDate or use a coarser period",
                    Map.of("maxTimeSeriesPoints", settings.maxTimeSeriesPoints()));
        }
    }
}
