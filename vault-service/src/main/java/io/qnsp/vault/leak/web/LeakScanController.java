package io.qnsp.vault.leak.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.vault.VaultScopes;
import io.qnsp.vault.leak.LeakScan;
import io.qnsp.vault.leak.LeakScanManagement;
import io.qnsp.vault.leak.ScanStatus;
import io.qnsp.vault.leak.ScanTarget;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Leakage scans: submitted, queued, run in the background by one instance, and followed by their status. Submitting
 * needs {@code vault:write} (and counts against the tenant's {@code vault.leakage_scans} quota), reading
 * {@code vault:read}.
 */
@Tag(name = "Leakage detection")
@RestController
@RequestMapping("/v1/leakage-detection")
class LeakScanController {

    record LeakScanScope(@Schema(description = "git repositories by http(s):// URL, file:// URL or absolute path "
            + "(target git; local paths only under the configured roots), and hosted repositories by name: "
            + "owner/name (GitHub), group/project (GitLab), optionally prefixed github: or gitlab:; up to 100")
                        @Nullable List<String> repositories,
                        @Schema(description = "GitHub organizations and GitLab groups (path or id) whose every "
                                + "repository is read, optionally prefixed github: or gitlab:; up to 20")
                        @Nullable List<String> organizations) {
    }

    record LeakScanRequest(@Schema(description = "git, github and/or gitlab (pastebin and s3 are not supported)")
                       @Nullable List<String> targets,
                       @Nullable LeakScanScope scope,
                       @Schema(description = "the policies whose rules and actions apply; every enabled policy of "
                               + "the tenant when left out, and the built-in rules with alert when it has none")
                       @Nullable List<String> policyIds) {
    }

    record LeakScanQueued(UUID scanId, ScanStatus status,
                      @Schema(description = "an estimate from the repositories known at submission (an "
                              + "organization counts as a configured number), the queue ahead and the time "
                              + "repositories took in recent scans") Instant estimatedCompletionAt) {
    }

    record LeakScanView(UUID scanId, ScanStatus status,
                    @Schema(description = "0 to 100: repositories read, the current one by the part of it read")
                    int progress,
                    @Schema(description = "distinct values found per place (file of a repository), each an "
                            + "incident opened or seen again") int findings,
                    @Schema(description = "null while queued") @Nullable Instant startedAt,
                    @Nullable Instant completedAt, List<ScanTarget> targets, Instant createdAt,
                    Instant estimatedCompletionAt,
                    @Schema(description = "the repositories to read, once organizations are listed")
                    @Nullable Integer repositoriesTotal, int repositoriesScanned, long filesScanned,
                    @Schema(description = "why the scan failed") @Nullable String failureReason) {

        static LeakScanView of(LeakScan scan) {
            return new LeakScanView(scan.scanId(), scan.status(), scan.progress(), scan.findings(), scan.startedAt(),
                    scan.completedAt(), scan.targets(), scan.createdAt(), scan.estimatedCompletionAt(),
                    scan.repositoriesTotal(), scan.repositoriesScanned(), scan.filesScanned(),
                    scan.failureReason());
        }
    }

    private final LeakScanManagement scans;

    LeakScanController(LeakScanManagement scans) {
        this.scans = scans;
    }

    @Operation(summary = "Trigger a leakage detection scan", operationId = "triggerLeakageScan",
            description = "Queues the scan and answers at once; follow it with GET /scans/{scanId}. Git repositories "
                    + "are read commit by commit on every branch; GitHub and GitLab repositories through their APIs, "
                    + "at the tip of every branch. Needs vault:write.")
    @ApiResponse(responseCode = "202", description = "The scan was queued")
    @FailureResponse(status = 404, description = "A policy named is not one of the tenant's")
    @PostMapping("/scan")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiredControls(scopes = VaultScopes.WRITE, quota = "vault.leakage_scans", audit = "vault.leak_scan.submitted",
            resourceType = "leak_scan", resourceId = "#result.scanId", metering = "vault.leakage_scan")
    LeakScanQueued scan(Caller caller, @RequestBody LeakScanRequest request) {
        LeakScanScope scope = request.scope();
        LeakScan scan = scans.submit(TenantRequired.tenantOf(caller), caller.principal(),
                new LeakScanManagement.ScanInput(request.targets(), scope == null ? null : scope.repositories(),
                        scope == null ? null : scope.organizations(), scope != null, request.policyIds()));
        return new LeakScanQueued(scan.scanId(), scan.status(), scan.estimatedCompletionAt());
    }

    @Operation(summary = "Get a leakage scan's status", operationId = "getLeakageScan",
            description = "Needs vault:read.")
    @GetMapping("/scans/{scanId}")
    @RequiredControls(scopes = VaultScopes.READ)
    LeakScanView get(Caller caller, @PathVariable String scanId) {
        return LeakScanView.of(scans.get(TenantRequired.tenantOf(caller), scanId));
    }
}
