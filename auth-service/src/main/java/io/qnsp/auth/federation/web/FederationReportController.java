package io.qnsp.auth.federation.web;

import io.qnsp.auth.federation.NewReport;
import io.qnsp.auth.federation.ReportFile;
import io.qnsp.auth.federation.ReportFormat;
import io.qnsp.auth.federation.ReportManagement;
import io.qnsp.auth.federation.ReportStatus;
import io.qnsp.auth.federation.ReportType;
import io.qnsp.auth.federation.ReportView;
import io.qnsp.auth.federation.RequestedReport;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Tag(name = "Federated audit reports")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
@RequestMapping("/auth/federation/audit/reports")
class FederationReportController {

    static final String BASE = "/auth/federation/audit/reports";
    private static final String REPORT_ID_OF = "@reportManagement.reportIdOf(#reportId)";

    record ReportRequest(@NotNull ReportType reportType,
                         @NotBlank @Size(max = 64) String startDate,
                         @NotBlank @Size(max = 64) String endDate,
                         @Size(max = 100) List<@NotBlank @Size(max = 128) String> providers,
                         @Size(max = 16) String format) {
    }

    record ReportAccepted(UUID reportId, ReportStatus status, Instant createdAt, Instant estimatedCompletionAt) {
    }

    record ReportListItem(UUID reportId, ReportType reportType, ReportStatus status, ReportFormat format,
                         Instant createdAt, Instant completedAt) {

        static ReportListItem of(ReportView report) {
            return new ReportListItem(report.reportId(), report.reportType(), report.status(), report.format(),
                    report.createdAt(), report.completedAt());
        }
    }

    record ReportList(List<ReportListItem> reports) {
    }

    record ReportDetails(UUID reportId, ReportType reportType, ReportStatus status, ReportFormat format,
                         Instant startDate, Instant endDate, List<String> providers, JsonNode data,
                         String downloadUrl, Instant createdAt, Instant completedAt, String failureReason) {

        static ReportDetails of(ReportView report) {
            String downloadUrl = report.status() == ReportStatus.COMPLETED
                    ? BASE + "/" + report.reportId() + "/download" : null;
            return new ReportDetails(report.reportId(), report.reportType(), report.status(), report.format(),
                    report.startDate(), report.endDate(), report.providers(), report.data(), downloadUrl,
                    report.createdAt(), report.completedAt(), report.failureReason());
        }
    }

    private final ReportManagement management;

    FederationReportController(ReportManagement management) {
        this.management = management;
    }

    @Operation(summary = "Request a report; it is generated in the background",
            description = "reportType compliance, activity or security over [startDate, endDate); format json"
                    + " (default) or csv. Poll the report until its status is completed or failed.")
    @PostMapping
    @RequiredControls(scopes = FederationAuditController.WRITE, audit = "auth.federation.report.requested",
            resourceType = "federation_report", resourceId = "#result.reportId")
    ResponseEntity<ReportAccepted> request(Caller caller, @Valid @RequestBody ReportRequest request) {
        RequestedReport report = management.request(caller, new NewReport(request.reportType(), request.startDate(),
                request.endDate(), request.providers(), request.format()));
        return ResponseEntity.accepted().location(URI.create(BASE + "/" + report.reportId()))
                .body(new ReportAccepted(report.reportId(), report.status(), report.createdAt(),
                        report.estimatedCompletionAt()));
    }

    @Operation(summary = "The caller's reports, newest first")
    @GetMapping
    @RequiredControls(scopes = FederationAuditController.READ, audit = "auth.federation.reports.listed",
            resourceType = "federation_report")
    ReportList list(Caller caller,
                    @RequestParam(defaultValue = "" + ReportManagement.DEFAULT_LIST_LIMIT) @Min(1)
                    @Max(ReportManagement.MAX_LIST_LIMIT) int limit) {
        return new ReportList(management.list(caller, limit).stream().map(ReportListItem::of).toList());
    }

    @Operation(summary = "A report, with its summary and download URL once completed")
    @GetMapping("/{reportId}")
    @RequiredControls(scopes = FederationAuditController.READ, audit = "auth.federation.report.read",
            resourceType = "federation_report", resourceId = REPORT_ID_OF)
    ReportDetails find(Caller caller, @PathVariable String reportId) {
        return ReportDetails.of(management.find(caller, reportId));
    }

    @Operation(summary = "Download a completed report's file (JSON or CSV)")
    @GetMapping("/{reportId}/download")
    @RequiredControls(scopes = FederationAuditController.READ, audit = "auth.federation.report.downloaded",
            resourceType = "federation_report", resourceId = REPORT_ID_OF)
    ResponseEntity<byte[]> download(Caller caller, @PathVariable String reportId) {
        ReportFile file = management.download(caller, reportId);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(file.filename()).build().toString())
                .cacheControl(CacheControl.noStore())
                .contentLength(file.content().length)
                .body(file.content());
    }
}
