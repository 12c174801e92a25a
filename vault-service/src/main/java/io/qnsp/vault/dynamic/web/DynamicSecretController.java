package io.qnsp.vault.dynamic.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.vault.VaultScopes;
import io.qnsp.vault.dynamic.DynamicSecretConfig;
import io.qnsp.vault.dynamic.DynamicSecretManagement;
import io.qnsp.vault.dynamic.DynamicSecretManagement.Issued;
import io.qnsp.vault.dynamic.DynamicSecretManagement.NewConfig;
import io.qnsp.vault.dynamic.DynamicSecretManagement.Stats;
import io.qnsp.vault.dynamic.Lease;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
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

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Dynamic secrets: configurations of database backends, and leases that are real accounts on them, made with a
 * password shown once, renewed within the config's maximum and dropped on revocation or expiry. Reading needs
 * {@code vault:read}, changes {@code vault:write}, making credentials {@code vault:use}.
 */
@Tag(name = "Dynamic secrets")
@RestController
@RequestMapping("/v1/dynamic-secrets")
class DynamicSecretController {

    record CredentialsRequest(@Schema(description = "the administrative account's name") @Nullable String username,
                              @Schema(description = "its password: sealed at rest, never returned")
                              @Nullable String password) {

        @Override
        public String toString() {
            return "CredentialsRequest[username=***, password=***]";
        }
    }

    record BackendRequest(@Schema(description = "postgres or mysql (MySQL and MariaDB); the others are refused",
                                  allowableValues = {"postgres", "mysql", "mongodb", "aws", "azure", "gcp"})
                          @Nullable String type,
                          @Schema(description = "JDBC URL: jdbc:postgresql://host[:port]/database, "
                                  + "jdbc:mysql:// or jdbc:mariadb://...; options user, password and sslmode "
                                  + "(PostgreSQL) or sslMode (MySQL) only. Sealed at rest, never returned")
                          @Nullable String connectionString,
                          @Schema(description = "{username, password} of an account that can create accounts; "
                                  + "may be left out when the connection string holds user and password")
                          @Nullable CredentialsRequest credentials) {

        @Override
        public String toString() {
            return "BackendRequest[type=" + type + ", connectionString=***, credentials=***]";
        }
    }

    record TemplateRequest(@Schema(description = "lowercase letters, digits, _ and {{name}}, {{random}} "
            + "(required), {{unix_time}}; starts with a letter; v_{{name}}_{{random}} when left out")
                           @Nullable String usernameTemplate,
                           @Schema(description = "GRANT statements separated by ;, each naming {{username}}, e.g. "
                                   + "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {{username}}")
                           @Nullable String roleTemplate) {
    }

    record TtlRequest(@Schema(description = "ISO 8601 duration of a lease when the request gives none; PT1H (or "
            + "ttl.max when shorter) when left out") @JsonProperty("default") @Nullable String defaultTtl,
                      @Schema(description = "ISO 8601 duration: no lease lives longer from its creation; PT24H when "
                              + "left out") @Nullable String max) {
    }

    record CreateConfigRequest(@Nullable String name,
                               @Schema(description = "database; the others are refused",
                                       allowableValues = {"database", "cloud_credentials", "api_key", "certificate"})
                               @Nullable String type,
                               @Nullable BackendRequest backend, @Nullable TemplateRequest template,
                               @Nullable TtlRequest ttl) {

        @Override
        public String toString() {
            return "CreateConfigRequest[name=" + name + ", type=" + type + ", backend=" + backend + "]";
        }
    }

    record ConfigCreated(UUID configId, String name, @Schema(description = "database") String type,
                         Instant createdAt) {
    }

    record ConfigSummary(UUID configId, String name, @Schema(description = "database") String type,
                         @Schema(description = "postgres or mysql") String backend,
                         @Schema(description = "leases of the config whose status is active") long activeLeases) {
    }

    record ConfigList(List<ConfigSummary> configs) {
    }

    record LeaseMetadata(@Nullable String purpose, @Nullable String requestedBy) {
    }

    record IssueRequest(@Schema(description = "ISO 8601 duration, at most the config's ttl.max; its ttl.default "
            + "when left out") @Nullable String ttl, @Nullable LeaseMetadata metadata) {
    }

    record IssuedCredentials(String username,
                             @Schema(description = "shown in this answer only: the vault does not keep it")
                             String password) {

        @Override
        public String toString() {
            return "IssuedCredentials[username=" + username + ", password=***]";
        }
    }

    record CredentialsIssued(UUID leaseId, IssuedCredentials credentials, Instant expiresAt,
                             @Schema(description = "whether a renewal can still move expiresAt") boolean renewable) {

        @Override
        public String toString() {
            return "CredentialsIssued[leaseId=" + leaseId + ", credentials=" + credentials + "]";
        }
    }

    record RevocationView(@Schema(description = "manual (revoke request) or expiry (the sweeper)") String reason,
                          Instant requestedAt,
                          @Schema(description = "attempts to drop the account so far") int attempts,
                          @Schema(description = "true until the account is dropped") boolean pending,
                          @Schema(description = "when a failed revocation is tried again") @Nullable Instant nextAttemptAt,
                          @Schema(description = "why the last attempt failed") @Nullable String lastError) {
    }

    record LeaseView(UUID leaseId, @Schema(description = "the lease's account on the backend") String username,
                     Instant createdAt, Instant expiresAt,
                     @Schema(description = "active, expired (its time ran out) or revoked (dropped on request)",
                             allowableValues = {"active", "expired", "revoked"}) String status,
                     boolean renewable,
                     @Schema(description = "when its account was dropped") @Nullable Instant revokedAt,
                     @Schema(description = "present once revocation was asked for, by a request or at expiry")
                     @Nullable RevocationView revocation,
                     @Nullable String purpose, @Nullable String requestedBy) {

        static LeaseView of(Lease l, Instant now) {
            RevocationView revocation = l.revocationReason() == null ? null : new RevocationView(
                    l.revocationReason(), l.revocationRequestedAt(), l.revokeAttempts(), l.revocationPending(),
                    l.nextAttemptAt(), l.lastError());
            return new LeaseView(l.leaseId(), l.username(), l.createdAt(), l.expiresAt(), l.status(now),
                    l.renewable(now), l.revokedAt(), revocation, l.purpose(), l.requestedBy());
        }
    }

    record LeaseList(List<LeaseView> leases) {
    }

    record RenewRequest(@Schema(description = "ISO 8601 duration from now, at most the config's ttl.max; its "
            + "ttl.default when left out. The lease never lives past ttl.max from its creation") @Nullable String ttl) {
    }

    record LeaseRenewed(UUID leaseId, Instant expiresAt,
                        @Schema(description = "false once expiresAt is the config's ttl.max from the lease's "
                                + "creation") boolean renewable) {
    }

    record LeaseRevoked(UUID leaseId, @Schema(description = "when its account was dropped") Instant revokedAt,
                        @Schema(description = "revoked, or expired when the sweeper had dropped it already",
                                allowableValues = {"revoked", "expired"}) String status) {
    }

    record ByType(long database, @JsonProperty("cloud_credentials") long cloudCredentials) {
    }

    record StatsView(long totalConfigs, long activeLeases, long expiredLeases, long revokedLeases,
                     @Schema(description = "configs by type") ByType byType) {
    }

    private final DynamicSecretManagement management;
    private final Clock clock = Clock.systemUTC();

    DynamicSecretController(DynamicSecretManagement management) {
        this.management = management;
    }

    @Operation(summary = "Create a dynamic secret configuration", operationId = "createDynamicSecretConfig",
            description = "A database backend (postgres or mysql), how leases' accounts are named and what they are "
                    + "granted, and how long they live. The backend is checked before anything is stored: it must "
                    + "answer, take the credentials, let them create accounts, and accept the role template's grants. "
                    + "The connection string and credentials are sealed and never returned. Needs vault:write.")
    @PostMapping("/configs")
    @ResponseStatus(HttpStatus.CREATED)
    @FailureResponse(status = 409, description = "the tenant has a configuration of that name")
    @FailureResponse(status = 422, description = "backend_check_failed: the backend could not be reached, refused "
            + "the credentials, does not let them create accounts, or refused a grant; details.field names what to fix")
    @FailureResponse(status = 503, description = "kms-service, which seals the backend's connection, is unavailable")
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.dynamic_secret_config.created",
            resourceType = "dynamic_secret_config", resourceId = "#result.configId")
    ConfigCreated createDynamicSecretConfig(Caller caller, @RequestBody CreateConfigRequest request) {
        BackendRequest backend = request.backend();
        CredentialsRequest credentials = backend == null ? null : backend.credentials();
        DynamicSecretConfig config = management.createConfig(TenantRequired.tenantOf(caller), caller.principal(),
                new NewConfig(request.name(), request.type(), backend != null,
                        backend == null ? null : backend.type(), backend == null ? null : backend.connectionString(),
                        credentials != null, credentials == null ? null : credentials.username(),
                        credentials == null ? null : credentials.password(),
                        request.template() == null ? null : request.template().usernameTemplate(),
                        request.template() == null ? null : request.template().roleTemplate(),
                        request.ttl() == null ? null : request.ttl().defaultTtl(),
                        request.ttl() == null ? null : request.ttl().max()));
        return new ConfigCreated(config.configId(), config.name(), config.type(), config.createdAt());
    }

    @Operation(summary = "List the dynamic secret configurations", operationId = "listDynamicSecretConfigs",
            description = "Oldest first, with the number of active leases of each; never the backend's connection or "
                    + "credentials. Needs vault:read.")
    @GetMapping("/configs")
    @RequiredControls(scopes = VaultScopes.READ, audit = "vault.dynamic_secret_configs.listed",
            resourceType = "dynamic_secret_config")
    ConfigList listDynamicSecretConfigs(Caller caller) {
        return new ConfigList(management.configs(TenantRequired.tenantOf(caller)).stream()
                .map(listed -> new ConfigSummary(listed.config().configId(), listed.config().name(),
                        listed.config().type(), listed.config().backendType().value(), listed.activeLeases()))
                .toList());
    }

    @Operation(summary = "Generate dynamic credentials", operationId = "generateDynamicCredentials",
            description = "Makes an account on the config's backend, named by its username template, with a new "
                    + "random password and the role template's grants, expiring after ttl. The password is in this "
                    + "answer only. Needs vault:use; counts against the vault.dynamic_credentials quota; billed as "
                    + "vault.dynamic_secret_generate.")
    @PostMapping("/configs/{configId}/credentials")
    @FailureResponse(status = 422, description = "backend_refused: the backend refused the account or a grant; the "
            + "configuration needs fixing")
    @FailureResponse(status = 503, description = "the backend, or kms-service which opens its connection, is "
            + "unavailable; no credentials were made")
    @RequiredControls(scopes = VaultScopes.USE, quota = "vault.dynamic_credentials",
            audit = "vault.dynamic_credentials.generated", resourceType = "dynamic_secret_config",
            resourceId = "#configId", metering = "vault.dynamic_secret_generate")
    CredentialsIssued generateDynamicCredentials(Caller caller, @PathVariable String configId,
                                                 @RequestBody(required = false) @Nullable IssueRequest request) {
        LeaseMetadata metadata = request == null ? null : request.metadata();
        Issued issued = management.issue(TenantRequired.tenantOf(caller), caller.principal(), configId,
                request == null ? null : request.ttl(), metadata == null ? null : metadata.purpose(),
                metadata == null ? null : metadata.requestedBy());
        Lease lease = issued.lease();
        return new CredentialsIssued(lease.leaseId(), new IssuedCredentials(lease.username(), issued.password()),
                lease.expiresAt(), lease.renewable(clock.instant()));
    }

    @Operation(summary = "List a configuration's leases", operationId = "listDynamicSecretLeases",
            description = "Newest first, with each one's status and, once revocation was asked for, how far it has "
                    + "come. Needs vault:read.")
    @GetMapping("/configs/{configId}/leases")
    @RequiredControls(scopes = VaultScopes.READ, audit = "vault.dynamic_secret_leases.listed",
            resourceType = "dynamic_secret_config", resourceId = "#configId")
    LeaseList listDynamicSecretLeases(Caller caller, @PathVariable String configId) {
        Instant now = clock.instant();
        return new LeaseList(management.leases(TenantRequired.tenantOf(caller), configId).stream()
                .map(lease -> LeaseView.of(lease, now)).toList());
    }

    @Operation(summary = "Renew a lease", operationId = "renewDynamicSecretLease",
            description = "Moves the lease's expiry to ttl from now (on the backend too), never past the config's "
                    + "ttl.max from the lease's creation. Needs vault:write.")
    @PostMapping("/leases/{leaseId}/renew")
    @FailureResponse(status = 409, description = "lease_not_renewable: the lease expired, was revoked or is being "
            + "revoked, or has reached its ttl.max (details.reason)")
    @FailureResponse(status = 422, description = "backend_refused: the backend refused the new expiry")
    @FailureResponse(status = 503, description = "the backend, or kms-service which opens its connection, is "
            + "unavailable; the lease is unchanged")
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.dynamic_secret_lease.renewed",
            resourceType = "dynamic_secret_lease", resourceId = "#leaseId")
    LeaseRenewed renewDynamicSecretLease(Caller caller, @PathVariable String leaseId,
                                         @RequestBody(required = false) @Nullable RenewRequest request) {
        Lease lease = management.renew(TenantRequired.tenantOf(caller), leaseId,
                request == null ? null : request.ttl());
        return new LeaseRenewed(lease.leaseId(), lease.expiresAt(), lease.renewable(clock.instant()));
    }

    @Operation(summary = "Revoke a lease", operationId = "revokeDynamicSecretLease",
            description = "Drops the lease's account: new logins are refused and its open sessions ended. A lease "
                    + "whose account is dropped already is answered as it is. Needs vault:write.")
    @PostMapping("/leases/{leaseId}/revoke")
    @FailureResponse(status = 409, description = "lease_revocation_in_progress: the sweeper or another request is "
            + "dropping the account right now")
    @FailureResponse(status = 422, description = "backend_refused: the backend refused to drop the account; the "
            + "sweeper retries with backoff")
    @FailureResponse(status = 503, description = "the backend, or kms-service which opens its connection, is "
            + "unavailable; the sweeper retries with backoff")
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.dynamic_secret_lease.revoked",
            resourceType = "dynamic_secret_lease", resourceId = "#leaseId")
    LeaseRevoked revokeDynamicSecretLease(Caller caller, @PathVariable String leaseId) {
        Lease lease = management.revoke(TenantRequired.tenantOf(caller), leaseId);
        return new LeaseRevoked(lease.leaseId(), lease.revokedAt(), lease.status(clock.instant()));
    }

    @Operation(summary = "Get dynamic secrets statistics", operationId = "getDynamicSecretStats",
            description = "Configs and leases of the tenant, counted from the store; byType counts configs. Needs "
                    + "vault:read.")
    @GetMapping("/stats")
    @RequiredControls(scopes = VaultScopes.READ)
    StatsView getDynamicSecretStats(Caller caller) {
        Stats stats = management.stats(TenantRequired.tenantOf(caller));
        return new StatsView(stats.totalConfigs(), stats.activeLeases(), stats.expiredLeases(), stats.revokedLeases(),
                new ByType(stats.configsByType().getOrDefault("database", 0L),
                        stats.configsByType().getOrDefault("cloud_credentials", 0L)));
    }
}
