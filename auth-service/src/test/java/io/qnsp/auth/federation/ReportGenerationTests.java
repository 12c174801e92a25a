package io.qnsp.auth.federation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.SimpleTransactionStatus;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The generation's decisions, with its storage and computation replaced: claim, complete, fail, resume. */
class ReportGenerationTests {

    private final FederationReports reports = mock(FederationReports.class);
    private final ReportSummaries summaries = mock(ReportSummaries.class);
    private final PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
    private final FederationAuditSettings settings = QueryCursorsTests.settings("");
    private final ReportGeneration generation;

    ReportGenerationTests() {
        when(transactions.getTransaction(any())).thenReturn(new SimpleTransactionStatus());
        generation = new ReportGeneration(reports, summaries, new ReportFiles(JsonMapper.builder().build()), settings,
                transactions, Optional.empty());
    }

    @AfterEach
    void stop() {
        generation.stop();
    }

    private static StoredReport report(UUID id, int attempts) {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        return new StoredReport(id, "acme", ReportType.ACTIVITY, ReportFormat.CSV, ReportStatus.PENDING, start,
                start.plus(Duration.ofDays(2)), null, "user-1", start, attempts, null, null, null, null);
    }

    private static ActivityReport emptyActivity() {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        return new ActivityReport(ReportType.ACTIVITY, start, start.plus(Duration.ofDays(2)), null, start, 0, 0, 0, 0,
                0, List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void aClaimedReportIsComputedRenderedAndCompleted() {
        UUID id = UUID.randomUUID();
        when(reports.claim(eq(id), any(), any())).thenReturn(true);
        when(reports.forGeneration(id)).thenReturn(Optional.of(report(id, 1)));
        when(summaries.compute(eq(ReportType.ACTIVITY), any())).thenReturn(emptyActivity());

        generation.generate(id);

        verify(reports).complete(eq(id), any(), argThat(data -> data.contains("\"totalEvents\":0")),
                argThat(csv -> new String(csv).startsWith(ReportFiles.CSV_HEADER)));
        verify(reports, never()).fail(any(), any(), anyString());
    }

    @Test
    void aClaimIsTakenWithTheLeaseAsItsStalenessLimit() {
        UUID id = UUID.randomUUID();
        generation.generate(id);
        verify(reports).claim(eq(id), any(), argThat(stale -> Duration.between(stale, Instant.now())
                .compareTo(settings.reportLease().minusSeconds(5)) >= 0));
        // not claimed: another generation holds it, nothing is computed
        verify(summaries, never()).compute(any(), any());
        verify(reports, never()).complete(any(), any(), any(), any());
    }

    @Test
    void aGenerationThatThrowsMarksTheReportFailedWithoutInternalDetails() {
        UUID id = UUID.randomUUID();
        when(reports.claim(eq(id), any(), any())).thenReturn(true);
        when(reports.forGeneration(id)).thenReturn(Optional.of(report(id, 1)));
        when(summaries.compute(any(), any())).thenThrow(new IllegalStateException("relation does not exist"));

        generation.generate(id);

        verify(reports).fail(eq(id), any(), eq(ReportGeneration.GENERATION_FAILED));
        assertThat(ReportGeneration.GENERATION_FAILED).doesNotContain("relation");
        verify(reports, never()).complete(any(), any(), any(), any());
    }

    @Test
    void theSweepResumesAbandonedReportsAndFailsThoseOutOfAttempts() {
        UUID resumable = UUID.randomUUID();
        UUID exhausted = UUID.randomUUID();
        when(reports.abandoned(any(), any(), anyInt()))
                .thenReturn(List.of(report(resumable, 1), report(exhausted, settings.reportMaxAttempts())));
        when(reports.claim(eq(resumable), any(), any())).thenReturn(true);
        when(reports.forGeneration(resumable)).thenReturn(Optional.of(report(resumable, 2)));
        when(summaries.compute(any(), any())).thenReturn(emptyActivity());

        generation.sweep();

        verify(reports).fail(eq(exhausted), any(), argThat(reason -> reason.contains(
                settings.reportMaxAttempts() + " attempts")));
        verify(reports, timeout(5000)).complete(eq(resumable), any(), any(), any());
        verify(reports, never()).claim(eq(exhausted), any(), any());
    }
}
