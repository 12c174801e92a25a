package io.qnsp.vault.leak.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.vault.VaultScopes;
import io.qnsp.vault.leak.Incident;
import io.qnsp.vault.leak.IncidentManagement;
import io.qnsp.vault.leak.IncidentStatus;
import io.qnsp.vault.leak.TimelineEntry;
import io.qnsp.vault.leak.detect.Severity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Leak incidents (opened by scans, or reported by hand), their status and timeline, what is known of one secret,
 * and the tenant's statistics. Reading needs {@code vault:read}, changes {@code vault:write}.
 */
@Tag(name = "Leakage detection")
@RestController
@RequestMapping("/v1/leakage-detection")
class LeakIncidentController {

    record IncidentReportRequest(@Schema(description = "the stored secret that leaked, if known; it must exist")
                         @Nullable String secretId,
                         @Schema(description = "where it leaked: 1 to 64 letters, digits, '_', '.' or '-', e.g. "
                                 + "github, slack (kept in lower case)") @Nullable String source,
                         @Schema(description = "where exactly: a URL, a file and line, a message link; up to 2048 "
                                 + "characters") @Nullable String location,
                         @Schema(description = "ISO 8601 date-time with an offset; now when left out")
                         @Nullable String detectedAt,
                         @Schema(description = "low, medium, high or critical", allowableValues = {"low", "medium",
                                 "high", "critical"}) @Nullable String severity,
                         @Schema(description = "an object: anything else worth keeping, up to 16 KB of JSON")
                         @Nullable Object details) {
    }

    record IncidentReported(UUID incidentId, IncidentStatus status, Instant createdAt) {
    }

    record LeakIncidentSummary(UUID incidentId, @Nullable String secretId, String source, Severity severity,
                           IncidentStatus status, Instant detectedAt) {

        static LeakIncidentSummary of(Incident incident) {
            return new LeakIncidentSummary(incident.incidentId(), incident.secretId(), incident.source(),
                    incident.severity(), incident.status(), incident.detectedAt());
        }
    }

    record LeakIncidentList(List<LeakIncidentSummary> incidents) {
    }

    record IncidentTimelineEntry(Instant at,
                        @Schema(description = "created, action, status_changed or seen_again",
                                allowableValues = {"created", "action", "status_changed", "seen_again"}) String event,
                        @Schema(description = "who: the caller's subject, or leak-detection for a scan")
                        String actor,
                        @Nullable String fromStatus, @Nullable String toStatus,
                        @Schema(description = "for an action: alert, rotate or revoke") @Nullable String action,
                        @Schema(description = "for an action: what came of it") @Nullable String result,
                        @Nullable String notes,
                        @Schema(description = "the scan that opened the incident, acted on it or saw it again")
                        @Nullable UUID scanId) {

        static IncidentTimelineEntry of(TimelineEntry entry) {
            return new IncidentTimelineEntry(entry.at(), entry.event(), entry.actor(), entry.fromStatus(), entry.toStatus(),
                    entry.action(), entry.result(), entry.notes(), entry.scanId());
        }
    }

    record LeakIncidentView(UUID incidentId, @Nullable String secretId,
                        @Schema(description = "the version of the secret that holds the leaked value, for a scan's "
                                + "incident") @Nullable Integer secretVersion,
                        String source, String location, Severity severity, IncidentStatus status,
                        @Schema(description = "a scan's incident: scanId, target, repository, path, commitId, "
                                + "branch (hosted repositories), line, maskedValue (never the value), rule, "
                                + "policyIds, storedSecrets; a reported one: what the reporter gave")
                        Object details,
                        @Nullable String resolution, List<IncidentTimelineEntry> timeline, Instant detectedAt,
                        Instant createdAt, Instant updatedAt) {
    }

    record IncidentUpdateRequest(@Schema(description = "investigating, resolved or false_positive",
            allowableValues = {"investigating", "resolved", "false_positive"}) @Nullable String status,
                         @Schema(description = "how it was resolved; kept on the incident") @Nullable String resolution,
                         @Schema(description = "kept in the timeline with the change") @Nullable String notes) {
    }

    record IncidentUpdated(UUID incidentId, IncidentStatus status, Instant updatedAt) {
    }

    record IncidentSeverityCounts(long critical, long high, long medium, long low) {
    }

    record LeakageStatistics(long totalIncidents,
                      @Schema(description = "status open") long openIncidents,
                      @Schema(description = "status investigating") long investigatingIncidents,
                      @Schema(description = "status resolved") long resolvedIncidents,
                      @Schema(description = "status false_positive") long falsePositiveIncidents,
                      IncidentSeverityCounts bySeverity,
                      @Schema(description = "incidents per source: github and gitlab always, every other source "
                              + "(git, reported ones) that has any") Map<String, Long> bySource) {
    }

    record ActiveLeakIncident(UUID incidentId, Severity severity, String source, Instant detectedAt,
                          IncidentStatus status) {
    }

    record SecretLeakCheck(String secretId,
                       @Schema(description = "whether any incident of the secret is open or investigating")
                       boolean hasActiveIncidents, List<ActiveLeakIncident> incidents) {
    }

    private final IncidentManagement incidents;

    LeakIncidentController(IncidentManagement incidents) {
        this.incidents = incidents;
    }

    @Operation(summary = "Report a leakage incident", operationId = "reportLeakageIncident",
            description = "Opens an incident by hand; it takes no action on the secret. Needs vault:write.")
    @ApiResponse(responseCode = "201", description = "The incident was opened")
    @FailureResponse(status = 404, description = "The secretId given is not one of the tenant's secrets")
    @PostMapping("/incidents")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.leak_incident.reported",
            resourceType = "leak_incident", resourceId = "#result.incidentId")
    IncidentReported report(Caller caller, @RequestBody IncidentReportRequest request) {
        Incident incident = incidents.report(TenantRequired.tenantOf(caller), caller.principal(),
                new IncidentManagement.ReportInput(request.secretId(), request.source(), request.location(),
                        request.detectedAt(), request.severity(), request.details()));
        return new IncidentReported(incident.incidentId(), incident.status(), incident.createdAt());
    }

    @Operation(summary = "List leakage incidents, most recently detected first", operationId = "listLeakageIncidents",
            description = "Needs vault:read.")
    @GetMapping("/incidents")
    @RequiredControls(scopes = VaultScopes.READ)
    LeakIncidentList list(Caller caller,
                      @Parameter(description = "open, investigating, resolved or false_positive")
                      @RequestParam(required = false) @Nullable String status,
                      @Parameter(description = "low, medium, high or critical") @RequestParam(required = false)
                      @Nullable String severity,
                      @Parameter(description = "ISO 8601 date-time with an offset: incidents detected at or after it")
                      @RequestParam(required = false) @Nullable String since,
                      @Parameter(description = "1 to 500, 100 by default") @RequestParam(required = false)
                      @Nullable Integer limit) {
        return new LeakIncidentList(incidents.list(TenantRequired.tenantOf(caller), status, severity, since, limit)
                .stream().map(LeakIncidentSummary::of).toList());
    }

    @Operation(summary = "Get a leakage incident with its timeline", operationId = "getLeakageIncident",
            description = "Needs vault:read.")
    @GetMapping("/incidents/{incidentId}")
    @RequiredControls(scopes = VaultScopes.READ)
    LeakIncidentView get(Caller caller, @PathVariable String incidentId) {
        IncidentManagement.IncidentWithTimeline found = incidents.get(TenantRequired.tenantOf(caller), incidentId);
        Incident incident = found.incident();
        return new LeakIncidentView(incident.incidentId(), incident.secretId(), incident.secretVersion(),
                incident.source(), incident.location(), incident.severity(), incident.status(), incident.details(),
                incident.resolution(), found.timeline().stream().map(IncidentTimelineEntry::of).toList(),
                incident.detectedAt(), incident.createdAt(), incident.updatedAt());
    }

    @Operation(summary = "Update a leakage incident's status", operationId = "updateLeakageIncident",
            description = "open may become investigating, resolved or false_positive; investigating may become "
                    + "resolved or false_positive; resolved and false_positive are final. The caller and the notes "
                    + "are kept in the timeline. Needs vault:write.")
    @FailureResponse(status = 409, description = "The incident cannot move from its status to the one asked for")
    @PatchMapping("/incidents/{incidentId}")
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.leak_incident.updated",
            resourceType = "leak_incident", resourceId = "#incidentId")
    IncidentUpdated update(Caller caller, @PathVariable String incidentId, @RequestBody IncidentUpdateRequest request) {
        Incident incident = incidents.update(TenantRequired.tenantOf(caller), incidentId, caller.principal(),
                request.status(), request.resolution(), request.notes());
        return new IncidentUpdated(incident.incidentId(), incident.status(), incident.updatedAt());
    }

    @Operation(summary = "Get leakage detection statistics", operationId = "getLeakageStatistics",
            description = "Counted from the tenant's incidents. Needs vault:read.")
    @GetMapping("/stats")
    @RequiredControls(scopes = VaultScopes.READ)
    LeakageStatistics stats(Caller caller) {
        var counts = incidents.counts(TenantRequired.tenantOf(caller));
        Map<String, Long> byStatus = counts.byStatus();
        Map<String, Long> bySeverity = counts.bySeverity();
        Map<String, Long> bySource = new LinkedHashMap<>();
        bySource.put("github", 0L);
        bySource.put("gitlab", 0L);
        bySource.putAll(counts.bySource());
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        return new LeakageStatistics(total, byStatus.getOrDefault("open", 0L), byStatus.getOrDefault("investigating", 0L),
                byStatus.getOrDefault("resolved", 0L), byStatus.getOrDefault("false_positive", 0L),
                new IncidentSeverityCounts(bySeverity.getOrDefault("critical", 0L), bySeverity.getOrDefault("high", 0L),
                        bySeverity.getOrDefault("medium", 0L), bySeverity.getOrDefault("low", 0L)), bySource);
    }

    @Operation(summary = "Check a secret for active leakage incidents", operationId = "checkSecretLeakage",
            description = "The secret's open and investigating incidents, most recently detected first. Needs "
                    + "vault:read.")
    @PostMapping("/secrets/{secretId}/check")
    @RequiredControls(scopes = VaultScopes.READ, audit = "vault.leak_secret.checked", resourceType = "secret",
            resourceId = "#secretId")
    SecretLeakCheck check(Caller caller, @PathVariable String secretId) {
        List<Incident> active = incidents.activeForSecret(TenantRequired.tenantOf(caller), secretId);
        return new SecretLeakCheck(secretId, !active.isEmpty(), active.stream().map(i -> new ActiveLeakIncident(
                i.incidentId(), i.severity(), i.source(), i.detectedAt(), i.status())).toList());
    }
}
