package io.qnsp.vault.secret.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.vault.VaultScopes;
import io.qnsp.vault.secret.RetentionPolicy;
import io.qnsp.vault.secret.Secret;
import io.qnsp.vault.secret.SecretAuditEvent;
import io.qnsp.vault.secret.SecretManagement;
import io.qnsp.vault.secret.SecretVersion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Versioned secrets: writing a secret's next version, its history, reading a version's value, deprecating and
 * destroying versions, rollback, comparison, retention and the secret's own audit log. Reading a value needs
 * {@code vault:use}; reading anything else {@code vault:read}; every change {@code vault:write}.
 */
@Tag(name = "Versioned secrets")
@RestController
@RequestMapping("/v1/versioned-secrets")
class VersionedSecretController {

    static final String RESOURCE = "versioned_secret";
    static final String SECRET_ID = "The secret's id: 1 to 128 letters, digits, '.', '_' or '-', starting with a "
            + "letter or digit. An id that breaks the rule names no secret (404).";
    static final String KMS_DOWN = "kms-service, which holds the keys of the vault's data keys, cannot be reached "
            + "(DEPENDENCY_DOWN); nothing was written";

    record CreateVersionRequest(
            @Schema(description = "The secret's id, chosen by the client: 1 to 128 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit; the first version creates the secret",
                    pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", maxLength = 128) String secretId,
            @Schema(description = "The value: not empty, at most qnsp.vault.secrets.max-value-size (64 KiB) in "
                    + "UTF-8; stored only envelope-encrypted") String value,
            // described in the operation: a @Schema here would narrow the map's values to objects
            @Nullable Map<String, Object> metadata) {

        @Override
        public String toString() {
            return "CreateVersionRequest[secretId=" + secretId + ", value=***]";
        }
    }

    record VersionCreated(String secretId, @Schema(description = "The new version's number: 1 for a new secret, "
            + "then one more than the newest") int version, Instant createdAt) {
    }

    record VersionSummary(int version,
                          @Schema(allowableValues = {"active", "deprecated", "destroyed"}) String state,
                          Instant createdAt, @Schema(description = "The principal of the caller who wrote it")
                          String createdBy, Map<String, Object> metadata) {

        static VersionSummary of(SecretVersion v) {
            return new VersionSummary(v.version(), v.state().apiName(), v.createdAt(), v.createdBy(), v.metadata());
        }
    }

    record History(String secretId, @Schema(description = "Newest first") List<VersionSummary> versions) {
    }

    record VersionValue(String secretId, int version, String value,
                        @Schema(allowableValues = {"active", "deprecated"}) String state, Instant createdAt,
                        Map<String, Object> metadata) {

        @Override
        public String toString() {
            return "VersionValue[secretId=" + secretId + ", version=" + version + ", value=***]";
        }
    }

    record StateChangeRequest(@Schema(allowableValues = {"deprecated", "destroyed"}, description = "deprecated keeps "
            + "the value readable; destroyed erases it for good") String state,
                              @Schema(description = "Why, at most 1024 characters; kept in the secret's audit log")
                              @Nullable String reason) {
    }

    record StateChanged(String secretId, int version,
                        @Schema(allowableValues = {"deprecated", "destroyed"}) String state, Instant updatedAt) {
    }

    record RollbackRequest(@Schema(description = "The version whose value becomes the new version; it must exist and "
            + "not be destroyed", minimum = "1") Integer targetVersion,
                           @Schema(description = "Why, at most 1024 characters") @Nullable String reason) {
    }

    record RollbackDone(String secretId, @Schema(description = "The version written with the old value")
    int newVersion, @Schema(description = "The version that was current before") int rolledBackFrom,
                        @Schema(description = "The version whose value was written again") int rolledBackTo) {
    }

    record CompareRequest(@Schema(minimum = "1") Integer version1, @Schema(minimum = "1") Integer version2) {
    }

    record ComparedVersionView(int version, Instant createdAt,
                               @Schema(description = "base64url HMAC-SHA256, under the tenant's fingerprint key, of "
                                       + "the secret's id and the value's fingerprint: equal for equal values of this "
                                       + "secret, unrelated across secrets and tenants, and no guess can be tested "
                                       + "against it") String hash) {

        static ComparedVersionView of(SecretManagement.ComparedVersion v) {
            return new ComparedVersionView(v.version(), v.createdAt(), v.hash());
        }
    }

    record Comparison(String secretId, ComparedVersionView version1, ComparedVersionView version2,
                      @Schema(description = "Whether the two versions hold different values") boolean different) {
    }

    record RetentionPolicyRequest(
            @Schema(description = "Keep at most this many versions (the newest); none for no limit", minimum = "1")
            @Nullable Integer maxVersions,
            @Schema(description = "ISO 8601 duration in days, hours, minutes or seconds (e.g. P30D, PT12H): versions "
                    + "written this long ago or earlier are out of the policy; none for no age limit")
            @Nullable String deleteAfter,
            @Schema(description = "true: out-of-policy versions are destroyed (kept in the history as destroyed); "
                    + "false (the default): they are removed from the history") @Nullable Boolean autoDestroy) {
    }

    record RetentionPolicyView(@Nullable Integer maxVersions, @Nullable String deleteAfter, boolean autoDestroy) {

        static RetentionPolicyView of(RetentionPolicy p) {
            return new RetentionPolicyView(p.maxVersions(), p.deleteAfter(), p.autoDestroy());
        }
    }

    record RetentionPolicySet(String secretId, RetentionPolicyView retentionPolicy, Instant updatedAt) {
    }

    record AuditEventView(UUID eventId,
                          @Schema(allowableValues = {"created", "read", "deprecated", "destroyed", "rollback"})
                          String action, int version,
                          @Schema(description = "The caller's principal, or system:retention for the scheduled "
                                  + "retention sweep") String actor, Instant timestamp) {

        static AuditEventView of(SecretAuditEvent e) {
            return new AuditEventView(e.eventId(), e.action(), e.version(), e.actor(), e.timestamp());
        }
    }

    record AuditLog(String secretId, @Schema(description = "Newest first, at most qnsp.vault.secrets.audit-limit "
            + "(1000)") List<AuditEventView> events) {
    }

    record RetentionEnforced(String secretId,
                             @Schema(description = "Versions this enforcement removed from the history, or destroyed "
                                     + "under autoDestroy") int versionsDeleted,
                             @Schema(description = "Versions that still hold their value afterwards (active or "
                                     + "deprecated)") int versionsRetained) {
    }

    record SecretListItem(String secretId,
                          @Schema(description = "The newest version's number") int currentVersion,
                          @Schema(description = "Versions in the history (retention may have removed older ones)")
                          long versions, Instant createdAt, Instant updatedAt) {
    }

    record SecretList(List<SecretListItem> secrets, long total, int limit, int offset) {
    }

    record ByState(long active, long deprecated, long destroyed) {
    }

    record Statistics(long totalSecrets, long totalVersions,
                      @Schema(description = "totalVersions / totalSecrets, rounded to two decimals; 0 without secrets")
                      double averageVersionsPerSecret, ByState byState) {
    }

    private final SecretManagement secrets;

    VersionedSecretController(SecretManagement secrets) {
        this.secrets = secrets;
    }

    @Operation(summary = "Create a new secret version", operationId = "createSecretVersion",
            description = "Writes the value as the secret's next version (1 for a new secret). The value is "
                    + "envelope-encrypted with a data key from kms-service and fingerprinted; it is never stored in "
                    + "plain text. Concurrent writes of one secret get consecutive numbers. metadata is an optional "
                    + "free-form JSON object (e.g. {\"reason\": \"rotation\", \"changedBy\": \"ci\"}), at most "
                    + "4 KiB as JSON; it is not secret, is stored as given and shown in the history ({} when none).")
    @FailureResponse(status = 503, description = KMS_DOWN)
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = VaultScopes.WRITE, quota = "vault.secret_versions",
            audit = "vault.secret_version.created", resourceType = RESOURCE, resourceId = "#result.secretId",
            metering = "vault.secret_version_create")
    VersionCreated createSecretVersion(Caller caller, @RequestBody CreateVersionRequest request) {
        SecretVersion version = secrets.create(TenantRequired.tenantOf(caller), caller.principal(),
                request.secretId(), request.value(), request.metadata());
        return new VersionCreated(version.secretId(), version.version(), version.createdAt());
    }

    @Operation(summary = "Get a secret's version history", operationId = "getSecretHistory",
            description = "Every version still in the history, newest first, with its state, author and metadata; "
                    + "never a value.")
    @GetMapping("/{secretId}/history")
    @RequiredControls(scopes = VaultScopes.READ, audit = "vault.secret_history.read", resourceType = RESOURCE,
            resourceId = "#secretId")
    History getSecretHistory(Caller caller, @Parameter(description = SECRET_ID) @PathVariable String secretId) {
        return new History(secretId, secrets.history(TenantRequired.tenantOf(caller), secretId).stream()
                .map(VersionSummary::of).toList());
    }

    @Operation(summary = "Get a secret version's value", operationId = "getSecretVersion",
            description = "Answers the version's value; active and deprecated versions are readable. A destroyed "
                    + "version answers 410 GONE (VERSION_DESTROYED): its value is erased for good. The read is "
                    + "recorded in the secret's audit log.")
    @FailureResponse(status = 410, description = "The version was destroyed: its value is gone for good")
    @FailureResponse(status = 503, description = KMS_DOWN)
    @GetMapping("/{secretId}/versions/{version}")
    @RequiredControls(scopes = VaultScopes.USE, quota = "vault.secret_reads", audit = "vault.secret_version.read",
            resourceType = RESOURCE, resourceId = "#secretId", metering = "vault.secret_version_read")
    VersionValue getSecretVersion(Caller caller, @Parameter(description = SECRET_ID) @PathVariable String secretId,
                                  @Parameter(description = "The version number (1, 2, ...); anything else names no "
                                          + "version (404)") @PathVariable String version) {
        SecretManagement.Revealed revealed = secrets.read(TenantRequired.tenantOf(caller), caller.principal(),
                secretId, version);
        SecretVersion v = revealed.version();
        return new VersionValue(secretId, v.version(), revealed.value(), v.state().apiName(), v.createdAt(),
                v.metadata());
    }

    @Operation(summary = "Update a secret version's state", operationId = "updateSecretVersionState",
            description = "active → deprecated (still readable), active or deprecated → destroyed (the value is "
                    + "erased for good; the version stays in the history as destroyed). Any other change answers "
                    + "409: destroyed is final, and a version does not become deprecated twice.")
    @FailureResponse(status = 409, description = "The version's state does not allow the change (VERSION_STATE_CONFLICT)")
    @PatchMapping("/{secretId}/versions/{version}/state")
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.secret_version.state_changed",
            resourceType = RESOURCE, resourceId = "#secretId")
    StateChanged updateSecretVersionState(Caller caller,
                                          @Parameter(description = SECRET_ID) @PathVariable String secretId,
                                          @Parameter(description = "The version number") @PathVariable String version,
                                          @RequestBody StateChangeRequest request) {
        SecretVersion changed = secrets.changeState(TenantRequired.tenantOf(caller), caller.principal(), secretId,
                version, request.state(), request.reason());
        return new StateChanged(secretId, changed.version(), changed.state().apiName(), changed.stateChangedAt());
    }

    @Operation(summary = "Roll a secret back to a previous version", operationId = "rollbackSecret",
            description = "Writes the value of targetVersion again as a new version, which becomes current. "
                    + "targetVersion must exist (404) and not be destroyed (410).")
    @FailureResponse(status = 410, description = "The target version was destroyed: its value is gone")
    @FailureResponse(status = 503, description = KMS_DOWN)
    @PostMapping("/{secretId}/rollback")
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.secret.rolled_back", resourceType = RESOURCE,
            resourceId = "#secretId")
    RollbackDone rollbackSecret(Caller caller, @Parameter(description = SECRET_ID) @PathVariable String secretId,
                                @RequestBody RollbackRequest request) {
        SecretManagement.RolledBack done = secrets.rollback(TenantRequired.tenantOf(caller), caller.principal(),
                secretId, request.targetVersion(), request.reason());
        return new RollbackDone(secretId, done.newVersion(), done.rolledBackFrom(), done.rolledBackTo());
    }

    @Operation(summary = "Compare two secret versions", operationId = "compareSecretVersions",
            description = "Tells whether two versions hold the same value from their stored fingerprints, without "
                    + "opening either: destroyed versions compare too (their fingerprint is kept).")
    @PostMapping("/{secretId}/compare")
    @RequiredControls(scopes = VaultScopes.READ)
    Comparison compareSecretVersions(Caller caller, @Parameter(description = SECRET_ID) @PathVariable String secretId,
                                     @RequestBody CompareRequest request) {
        SecretManagement.Comparison c = secrets.compare(TenantRequired.tenantOf(caller), secretId,
                request.version1(), request.version2());
        return new Comparison(secretId, ComparedVersionView.of(c.version1()), ComparedVersionView.of(c.version2()),
                c.different());
    }

    @Operation(summary = "Set a secret's retention policy", operationId = "setSecretRetentionPolicy",
            description = "Replaces the policy. A version other than the current one is out of the policy when it "
                    + "is not among the newest maxVersions, or was written deleteAfter ago or earlier. Out-of-policy "
                    + "versions are removed from the history, or destroyed with autoDestroy, when the policy is "
                    + "enforced: on demand (enforce-retention) and by the scheduled sweep.")
    @PutMapping("/{secretId}/retention-policy")
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.secret.retention_set", resourceType = RESOURCE,
            resourceId = "#secretId")
    RetentionPolicySet setSecretRetentionPolicy(Caller caller,
                                                @Parameter(description = SECRET_ID) @PathVariable String secretId,
                                                @RequestBody RetentionPolicyRequest request) {
        Secret secret = secrets.setRetention(TenantRequired.tenantOf(caller), secretId, request.maxVersions(),
                request.deleteAfter(), request.autoDestroy());
        return new RetentionPolicySet(secretId, RetentionPolicyView.of(secret.retention()), secret.updatedAt());
    }

    @Operation(summary = "Get a secret's audit log", operationId = "getSecretAuditLog",
            description = "What happened to the secret's versions (created, read, deprecated, destroyed, rollback), "
                    + "by whom, newest first. Versions the retention policy removed or destroyed appear as destroyed.")
    @GetMapping("/{secretId}/audit")
    @RequiredControls(scopes = VaultScopes.READ, audit = "vault.secret_audit.read", resourceType = RESOURCE,
            resourceId = "#secretId")
    AuditLog getSecretAuditLog(Caller caller, @Parameter(description = SECRET_ID) @PathVariable String secretId) {
        return new AuditLog(secretId, secrets.auditLog(TenantRequired.tenantOf(caller), secretId).stream()
                .map(AuditEventView::of).toList());
    }

    @Operation(summary = "Enforce a secret's retention policy now", operationId = "enforceSecretRetention",
            description = "Removes (or, with autoDestroy, destroys) the versions out of the policy; the current "
                    + "version is never touched.")
    @PostMapping("/{secretId}/enforce-retention")
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.secret.retention_enforced", resourceType = RESOURCE,
            resourceId = "#secretId")
    RetentionEnforced enforceSecretRetention(Caller caller,
                                             @Parameter(description = SECRET_ID) @PathVariable String secretId) {
        SecretManagement.Enforcement done = secrets.enforceRetention(TenantRequired.tenantOf(caller),
                caller.principal(), secretId);
        return new RetentionEnforced(secretId, done.versionsDeleted(), done.versionsRetained());
    }

    @Operation(summary = "List the tenant's secrets", operationId = "listVersionedSecrets",
            description = "Beyond the reference: the caller's tenant's secrets ordered by id, each with its current "
                    + "version and how many versions its history holds; never a value. Paged by limit (1 to 100, 50 "
                    + "by default) and offset.")
    @GetMapping
    @RequiredControls(scopes = VaultScopes.READ)
    SecretList listVersionedSecrets(Caller caller,
                                    @Parameter(description = "1 to 100, 50 by default") @RequestParam(required = false)
                                    @Nullable Integer limit,
                                    @Parameter(description = "secrets to skip, 0 by default")
                                    @RequestParam(required = false) @Nullable Integer offset) {
        String tenant = TenantRequired.tenantOf(caller);
        int pageSize = limit == null ? 50 : limit;
        int skip = offset == null ? 0 : offset;
        InvalidField.Problems problems = new InvalidField.Problems();
        if (pageSize < 1 || pageSize > 100) {
            problems.add("limit", "must be between 1 and 100");
        }
        if (skip < 0) {
            problems.add("offset", "must not be negative");
        }
        problems.throwIfAny();
        SecretManagement.SecretPage page = secrets.list(tenant, pageSize, skip);
        return new SecretList(page.secrets().stream().map(s -> new SecretListItem(s.secretId(), s.currentVersion(),
                s.versions(), s.createdAt(), s.updatedAt())).toList(), page.total(), pageSize, skip);
    }

    @Operation(summary = "Get versioned secrets statistics", operationId = "getVersionedSecretStats",
            description = "Counts of the caller's tenant's secrets and versions, from the store.")
    @GetMapping("/stats")
    @RequiredControls(scopes = VaultScopes.READ)
    Statistics getVersionedSecretStats(Caller caller) {
        SecretManagement.Statistics s = secrets.statistics(TenantRequired.tenantOf(caller));
        return new Statistics(s.totalSecrets(), s.totalVersions(), s.averageVersionsPerSecret(),
                new ByState(s.active(), s.deprecated(), s.destroyed()));
    }
}
