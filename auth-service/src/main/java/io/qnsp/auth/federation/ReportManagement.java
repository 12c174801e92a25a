package io.qnsp.auth.federation;

import io.qnsp.common.security.Caller;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.qnsp.auth.federation.FederationAuditManagement.tenantOf;

/**
 * Accepts report requests (generated in the background by {@link ReportGeneration} once the request commits),
 * lists them and serves their summaries and files. Another tenant's report does not exist for the caller.
 */
@Service
public class ReportManagement {

    public static final int DEFAULT_LIST_LIMIT = 50;
    public static final int MAX_LIST_LIMIT = 200;

    /** Rough generation throughput behind {@code estimatedCompletionAt}: aggregate queries over indexed rows. */
    private static final long EVENTS_PER_SECOND = 200_000;
    private static final Duration BASE_ESTIMATE = Duration.ofSeconds(2);

    private final FederationReports reports;
    private final FederatedEvents events;
    private final FederationAuditSettings settings;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;

    ReportManagement(FederationReports reports, FederatedEvents events, FederationAuditSettings settings,
                     ApplicationEventPublisher publisher, Optional<Clock> clock) {
        this.reports = reports;
        this.events = events;
        this.settings = settings;
        this.publisher = publisher;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** Stores a pending report of the caller's tenant; it is generated after the surrounding transaction commits. */
    @Transactional
    public RequestedReport request(Caller caller, NewReport request) {
        String tenantId = tenantOf(caller);
        ReportFormat format = request.format() == null ? ReportFormat.JSON
                : ReportFormat.find(request.format()).orElseThrow(UnsupportedReportFormat::new);
        Instant start = Times.bound("startDate", request.startDate(), false);
        Instant end = Times.bound("endDate", request.endDate(), true);
        if (start == null) {
            throw new InvalidTime("startDate", "is required");
        }
        if (end == null) {
            throw new InvalidTime("endDate", "is required");
        }
        if (!start.isBefore(end)) {
            throw new InvalidTime("startDate", "must be before endDate");
        }
        if (Duration.between(start, end).compareTo(settings.maxReportRange()) > 0) {
            throw new InvalidTime("endDate", "must be at most " + settings.maxReportRange().toDays()
                    + " days after startDate");
        }
        List<String> providers = providers(request.providers());
        Instant now = Times.now(clock);
        StoredReport report = new StoredReport(UUID.randomUUID(), tenantId, request.reportType(), format,
                ReportStatus.PENDING, start, end, providers, caller.principal(), now, 0, null, null, null, null);
        reports.insert(report);
        publisher.publishEvent(new ReportRequested(report.id()));
        long eventsInRange = events.countBetween(tenantId, start, end);
        Instant estimate = now.plus(BASE_ESTIMATE).plusMillis(eventsInRange * 1000 / EVENTS_PER_SECOND);
        return new RequestedReport(report.id(), ReportStatus.PENDING, now, estimate);
    }

    /** The caller's reports, newest first, at most {@code limit}. */
    @Transactional(readOnly = true)
    public List<ReportView> list(Caller caller, int limit) {
        return reports.list(tenantOf(caller), limit).stream().map(r -> view(r, false)).toList();
    }

    /** The caller's report with its summary once completed; {@link ReportNotFound} otherwise. */
    @Transactional(readOnly = true)
    public ReportView find(Caller caller, String reportId) {
        UUID id = idOf(reportId);
        return reports.find(tenantOf(caller), id).map(r -> view(r, true)).orElseThrow(ReportNotFound::new);
    }

    /** The file of the caller's completed report; {@link ReportNotReady} while pending or after failing. */
    @Transactional(readOnly = true)
    public ReportFile download(Caller caller, String reportId) {
        String tenantId = tenantOf(caller);
        UUID id = idOf(reportId);
        StoredReport report = reports.find(tenantId, id).orElseThrow(ReportNotFound::new);
        if (report.status() != ReportStatus.COMPLETED) {
            throw new ReportNotReady(report.status());
        }
        byte[] content = reports.content(tenantId, id).orElseThrow(ReportNotFound::new);
        return new ReportFile(content, report.format().contentType(), "federation-" + report.reportType().value()
                + "-report-" + report.id() + "." + report.format().extension());
    }

    /** The report id of a path, or {@code null} when the text is not one: for audit records. */
    public String reportIdOf(String reportId) {
        try {
            return UUID.fromString(reportId).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private ReportView view(StoredReport report, boolean withData) {
        return new ReportView(report.id(), report.reportType(), report.status(), report.format(),
                report.rangeStart(), report.rangeEnd(), report.providers(), report.createdAt(), report.completedAt(),
                report.failureReason(),
                withData ? report.dataJson() : null);
    }

    /** A text that is not a report id names no report: 404, as for an id of another tenant. */
    private static UUID idOf(String reportId) {
        try {
            return UUID.fromString(reportId);
        } catch (IllegalArgumentException e) {
            throw new ReportNotFound();
        }
    }

    private static List<String> providers(List<String> values) {
        if (values == null) {
            return null;
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                unique.add(value.strip());
            }
        }
        return unique.isEmpty() ? null : List.copyOf(unique);
    }
}
