package io.qnsp.auth.federation.web;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.qnsp.auth.federation.FederationReportSchemas;
import io.qnsp.auth.federation.NewReport;
import io.qnsp.auth.federation.ReportFile;
import io.qnsp.auth.federation.ReportFormat;
import io.qnsp.auth.federation.ReportManagement;
import io.qnsp.auth.federation.ReportStatus;
import io.qnsp.auth.federation.ReportType;
import io.qnsp.auth.federation.ReportView;
import io.qnsp.auth.federation.RequestedReport;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

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
    private static final String CSV = "text/csv";
    private static final String REPORT_ID_OF = "@reportManagement.reportIdOf(#reportId)";

    record ReportRequest(@NotNull ReportType reportType,
                         @NotBlank @Size(max = 64) String startDate,
                         @NotBlank @Size(max = 64) String endDate,
                         @Nullable @Size(max = 100) List<@NotBlank @Size(max = 128) String> providers,
                         @Nullable @Size(max = 16) @Schema(description = "json (default) or csv") String format) {
    }

    record ReportAccepted(UUID reportId, ReportStatus status, Instant createdAt, Instant estimatedCompletionAt) {
    }

    record ReportListItem(UUID reportId, ReportType reportType, ReportStatus status, ReportFormat format,
                          Instant createdAt, @Nullable Instant completedAt) {

        static ReportListItem of(ReportView report) {
            return new ReportListItem(report.reportId(), report.reportType(), report.status(), report.format(),
                    report.createdAt(), report.completedAt());
        }
    }

    record ReportList(List<ReportListItem> reports) {
    }

    /**
     * A report; {@code data} (the summary) and {@code downloadUrl} once it is completed, {@code completedAt} once it
     * completed or failed, {@code failureReason} if it failed, {@code providers} if the request named any.
     */
    record ReportDetails(UUID reportId, ReportType reportType, ReportStatus status, ReportFormat format,
                         Instant startDate, Instant endDate, @Nullable List<String> providers,
                         // written as the JSON it was stored as
                         @Nullable @JsonRawValue @Schema(ref = FederationReportSchemas.DATA_REF) String data,
                         @Nullable String downloadUrl, Instant createdAt, @Nullable Instant completedAt,
                         @Nullable String failureReason) {

        static ReportDetails of(ReportView report) {
            String downloadUrl = report.status() == ReportStatus.COMPLETED
                    ? BASE + "/" + report.reportId() + "/download" : null;
            return new ReportDetails(report.reportId(), report.reportType(), report.status(), report.format(),
                    report.startDate(), report.endDate(), report.providers(), report.dataJson(), downloadUrl,
                    report.createdAt(), report.completedAt(), report.failureReason());
        }
    }

    private final ReportManagement management;

    FederationReportController(ReportManagement management) {
        this.management = management;
    }

    @Operation(summary = "Request a report; it is generated in the background",
            description = "reportType compliance, activity or security over [startDate, endDate); format json"
                    + " (default) or csv. Poll the report until its status is completed or failed.",
            operationId = "requestFederationReport")
    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    @ApiResponse(responseCode = "202", description = "Accepted: the report is pending",
            headers = @Header(name = HttpHeaders.LOCATION, description = "The report's path",
                    schema = @Schema(type = "string")))
    @RequiredControls(scopes = FederationAuditController.WRITE, audit = "auth.federation.report.requested",
            resourceType = "federation_report", resourceId = "#result.reportId")
    ResponseEntity<ReportAccepted> request(Caller caller, @Valid @RequestBody ReportRequest request) {
        RequestedReport report = management.request(caller, new NewReport(request.reportType(), request.startDate(),
                request.endDate(), request.providers(), request.format()));
        return ResponseEntity.accepted().location(URI.create(BASE + "/" + report.reportId()))
                .body(new ReportAccepted(report.reportId(), report.status(), report.createdAt(),
                        report.estimatedCompletionAt()));
    }

    @Operation(summary = "The caller's reports, newest first", operationId = "listFederationReports")
    @GetMapping
    @RequiredControls(scopes = FederationAuditController.READ, audit = "auth.federation.reports.listed",
            resourceType = "federation_report")
    ReportList list(Caller caller,
                    @RequestParam(defaultValue = "" + ReportManagement.DEFAULT_LIST_LIMIT) @Min(1)
                    @Max(ReportManagement.MAX_LIST_LIMIT) int limit) {
        return new ReportList(management.list(caller, limit).stream().map(ReportListItem::of).toList());
    }

    @Operation(summary = "A report, with its summary and download URL once completed",
            operationId = "getFederationReport")
    @GetMapping("/{reportId}")
    @RequiredControls(scopes = FederationAuditController.READ, audit = "auth.federation.report.read",
            resourceType = "federation_report", resourceId = REPORT_ID_OF)
    ReportDetails find(Caller caller, @PathVariable String reportId) {
        return ReportDetails.of(management.find(caller, reportId));
    }

    @Operation(summary = "Download a completed report's file (JSON or CSV)",
            description = "The file is in the format the report was requested in: the summary as JSON, or CSV with"
                    + " the columns section,provider,item,metric,value.",
            operationId = "downloadFederationReport")
    @GetMapping(value = "/{reportId}/download", produces = {MediaType.APPLICATION_JSON_VALUE, CSV})
    @ApiResponse(responseCode = "200", description = "The report's file",
            headers = {
                    @Header(name = HttpHeaders.CONTENT_DISPOSITION, schema = @Schema(type = "string"),
                            description = "attachment; filename=\"federation-<type>-report-<id>.<json|csv>\""),
                    @Header(name = HttpHeaders.CACHE_CONTROL, schema = @Schema(type = "string"),
                            description = "no-store")},
            content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(ref = FederationReportSchemas.SUMMARY_REF)),
                    @Content(mediaType = CSV, schema = @Schema(type = "string",
                            description = "RFC 4180, UTF-8, CRLF; header section,provider,item,metric,value"))})
    @FailureResponse(status = 409, description = "The report is not completed yet, or failed (REPORT_NOT_READY,"
            + " details.status)")
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
