package io.qnsp.kms.escrow.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.kms.KmsScopes;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kms.escrow.EscrowAgent;
import io.qnsp.kms.escrow.EscrowAuditEvent;
import io.qnsp.kms.escrow.EscrowManagement;
import io.qnsp.kms.escrow.EscrowManagement.RecoveryDetails;
import io.qnsp.kms.escrow.EscrowPolicy;
import io.qnsp.kms.escrow.EscrowedKey;
import io.qnsp.kms.escrow.RecoveryDecision;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Key escrow (the {@code key-escrow} add-on): policies, escrowing a key into Shamir shares handed to its agents,
 * and recovery from those shares with four-eyes approval. Reading needs {@code kms:read}, every change
 * {@code kms:write}.
 */
@Tag(name = "Key escrow")
@RestController
@RequestMapping("/kms/v1/escrow")
class EscrowController {

    static final String ADD_ON = "key-escrow";

    record AgentView(String agentId, @Schema(description = "primary, secondary or witness") String role,
                     @Schema(description = "base64 X.509 public key the agent's shares are sealed to")
                     @Nullable String publicKey) {

        static AgentView of(EscrowAgent agent) {
            return new AgentView(agent.agentId(), agent.role(), agent.publicKey());
        }
    }

    record CreatePolicyRequest(@Nullable String name, @Nullable String description,
                               @Schema(description = "key algorithms the policy escrows, e.g. AES-256-GCM; any "
                                       + "when left out") @Nullable List<String> keyTypes,
                               @Nullable List<EscrowAgent> escrowAgents,
                               @Schema(description = "shares needed to recover, 1 to the number of agents")
                               @Nullable Integer recoveryThreshold,
                               @Schema(description = "ISO 8601 period or duration an escrow lasts, e.g. P365D")
                               @Nullable String retentionPeriod) {
    }

    record PolicyCreated(UUID policyId, String name, Instant createdAt) {
    }

    record PolicySummary(UUID policyId, String name, List<String> keyTypes, int recoveryThreshold) {
    }

    record PolicyList(List<PolicySummary> policies) {
    }

    record PolicyView(UUID policyId, String name, @Nullable String description, List<String> keyTypes,
                      List<AgentView> escrowAgents, int recoveryThreshold, @Nullable String retentionPeriod,
                      Instant createdAt, Instant updatedAt) {

        static PolicyView of(EscrowPolicy p) {
            return new PolicyView(p.policyId(), p.name(), p.description(), p.keyTypes(),
                    p.agents().stream().map(AgentView::of).toList(), p.recoveryThreshold(), p.retentionPeriod(),
                    p.createdAt(), p.updatedAt());
        }
    }

    record UpdatePolicyRequest(@Nullable String name, @Nullable String description,
                               @Schema(description = "replaces the agents; escrows made before keep theirs")
                               @Nullable List<EscrowAgent> escrowAgents, @Nullable Integer recoveryThreshold) {
    }

    record PolicyUpdated(UUID policyId, Instant updatedAt) {
    }

    record EscrowMetadata(@Nullable String reason,
                          @Schema(description = "ISO 8601; the policy's retention from now when left out")
                          @Nullable String expiresAt) {
    }

    record CreateEscrowRequest(@Nullable String keyId, @Nullable String policyId, @Nullable EscrowMetadata metadata) {
    }

    record IssuedShareView(String agentId, String role,
                           @Schema(description = "null when the share is in the clear; RSA-OAEP-256+A256GCM or "
                                   + "ML-KEM-768+A256GCM when it is sealed to the agent's public key")
                           @Nullable String sealing,
                           @Schema(description = "base64 of the agent's share (x || y), or of the share sealed to "
                                   + "the agent: handed out here once, never stored by the service") String share) {

        @Override
        public String toString() {
            return "IssuedShareView[agentId=" + agentId + ", role=" + role + ", sealing=" + sealing + ", share=***]";
        }
    }

    record EscrowCreated(UUID escrowId, UUID keyId, int keyVersion, UUID policyId,
                         @Schema(description = "active") String status, int recoveryThreshold,
                         @Schema(description = "one share per agent; give each to its agent only")
                         List<IssuedShareView> shares, @Nullable Instant expiresAt, Instant createdAt) {

        @Override
        public String toString() {
            return "EscrowCreated[escrowId=" + escrowId + ", keyId=" + keyId + ", shares=***]";
        }
    }

    record EscrowSummary(UUID escrowId, UUID keyId, UUID policyId,
                         @Schema(description = "active, recovered or expired") String status, Instant createdAt) {
    }

    record EscrowList(List<EscrowSummary> escrowedKeys) {
    }

    record InitiateRecoveryRequest(@Nullable String escrowId, @Nullable String reason,
                                   @Schema(description = "normal (valid 7 days), urgent (24 hours) or emergency "
                                           + "(4 hours; two approvals or one by an admin); normal by default")
                                   @Nullable String urgency) {
    }

    record RecoveryInitiated(UUID requestId, UUID escrowId, String status, int requiredShares, int submittedShares,
                             Instant createdAt) {
    }

    record SubmitShareRequest(@Nullable String requestId,
                              @Schema(description = "base64 of the share issued to the agent") @Nullable String share,
                              @Nullable String agentId) {

        @Override
        public String toString() {
            return "SubmitShareRequest[requestId=" + requestId + ", agentId=" + agentId + ", share=***]";
        }
    }

    record ShareSubmitted(UUID requestId, int submittedShares, int requiredShares,
                          @Schema(description = "pending_shares, ready_for_approval or approved") String status) {
    }

    record ApproveRequest(@Nullable String requestId, @Schema(description = "approve or deny") @Nullable String decision,
                          @Nullable String reason) {
    }

    record DecisionMade(UUID requestId, @Schema(description = "approved, denied, or the status the request is in "
            + "while it awaits more approvals") String status, String decidedBy, Instant decidedAt) {
    }

    record ExecuteRequest(@Nullable String requestId) {
    }

    record RecoveryExecuted(UUID requestId, UUID keyId, int keyVersion,
                            @Schema(description = "base64 of the recovered key material") String recoveredKey,
                            Instant recoveredAt) {

        @Override
        public String toString() {
            return "RecoveryExecuted[requestId=" + requestId + ", keyId=" + keyId + ", recoveredKey=***]";
        }
    }

    record ApprovalView(String decidedBy, @Schema(description = "approve or deny") String decision,
                        boolean admin, @Nullable String reason, Instant decidedAt) {
    }

    record RecoveryView(UUID requestId, UUID escrowId,
                        @Schema(description = "pending_shares, ready_for_approval, approved, denied, recovered or "
                                + "expired") String status, String urgency, String requestedBy, int requiredShares,
                        int submittedShares, List<ApprovalView> approvals, Instant createdAt, Instant expiresAt,
                        @Nullable Instant recoveredAt) {
    }

    record AuditEventView(UUID eventId, UUID escrowId,
                          @Schema(description = "created, recovery_initiated, share_submitted, share_rejected, "
                                  + "approved, denied, recovered or expired") String eventType,
                          String actor, Instant timestamp, Map<String, Object> details) {
    }

    record AuditEventList(List<AuditEventView> events) {
    }

    private final EscrowManagement escrow;

    EscrowController(EscrowManagement escrow) {
        this.escrow = escrow;
    }

    @Operation(summary = "Create a key escrow policy", operationId = "escrowCreatePolicy",
            description = "Agents with roles, the recovery threshold (1 to the number of agents) and how long an "
                    + "escrow lasts. Needs kms:write and the key-escrow add-on.")
    @PostMapping("/policies")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, audit = "kms.escrow.policy.created",
            resourceType = "escrow_policy", resourceId = "#result.policyId")
    PolicyCreated escrowCreatePolicy(Caller caller, @RequestBody CreatePolicyRequest request) {
        EscrowPolicy policy = escrow.createPolicy(TenantRequired.tenantOf(caller), request.name(),
                request.description(), request.keyTypes(), request.escrowAgents(), request.recoveryThreshold(),
                request.retentionPeriod());
        return new PolicyCreated(policy.policyId(), policy.name(), policy.createdAt());
    }

    @Operation(summary = "List the key escrow policies, oldest first", operationId = "escrowListPolicies",
            description = "Needs kms:read and the key-escrow add-on.")
    @GetMapping("/policies")
    @RequiredControls(scopes = KmsScopes.READ, addOn = ADD_ON, audit = "kms.escrow.policies.listed",
            resourceType = "escrow_policy")
    PolicyList escrowListPolicies(Caller caller) {
        return new PolicyList(escrow.policies(TenantRequired.tenantOf(caller)).stream()
                .map(p -> new PolicySummary(p.policyId(), p.name(), p.keyTypes(), p.recoveryThreshold())).toList());
    }

    @Operation(summary = "Get a key escrow policy", operationId = "escrowGetPolicy",
            description = "Needs kms:read and the key-escrow add-on.")
    @GetMapping("/policies/{policyId}")
    @RequiredControls(scopes = KmsScopes.READ, addOn = ADD_ON, audit = "kms.escrow.policy.read",
            resourceType = "escrow_policy", resourceId = "#policyId")
    PolicyView escrowGetPolicy(Caller caller, @PathVariable String policyId) {
        return PolicyView.of(escrow.policy(TenantRequired.tenantOf(caller), policyId));
    }

    @Operation(summary = "Update a key escrow policy", operationId = "escrowUpdatePolicy",
            description = "Changes the fields given; the threshold must stay within the number of agents. Keys "
                    + "escrowed before keep the agents and threshold they were split with. Needs kms:write and the "
                    + "key-escrow add-on.")
    @PatchMapping("/policies/{policyId}")
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, audit = "kms.escrow.policy.updated",
            resourceType = "escrow_policy", resourceId = "#policyId")
    PolicyUpdated escrowUpdatePolicy(Caller caller, @PathVariable String policyId,
                                     @RequestBody UpdatePolicyRequest request) {
        EscrowPolicy policy = escrow.updatePolicy(TenantRequired.tenantOf(caller), policyId, request.name(),
                request.description(), request.escrowAgents(), request.recoveryThreshold());
        return new PolicyUpdated(policy.policyId(), policy.updatedAt());
    }

    @Operation(summary = "Escrow a key", operationId = "escrowCreate",
            description = "Splits the key's current material with Shamir's secret sharing into one share per agent "
                    + "of the policy; any recoveryThreshold of them rebuild it. The shares are in this answer only: "
                    + "the service keeps a keyed hash of each, to recognise it, never the share. Needs kms:write "
                    + "and the key-escrow add-on.")
    @FailureResponse(status = 404, description = "The key or the policy does not exist for the caller's tenant")
    @PostMapping("/keys")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, quota = "kms.escrows",
            audit = "kms.escrow.created", resourceType = "key_escrow", resourceId = "#result.escrowId",
            metering = "kms.escrow.create")
    EscrowCreated escrowCreate(Caller caller, @RequestBody CreateEscrowRequest request) {
        EscrowManagement.Escrowed made = escrow.escrow(TenantRequired.tenantOf(caller), caller.principal(),
                request.keyId(), request.policyId(), request.metadata() == null ? null : request.metadata().reason(),
                request.metadata() == null ? null : request.metadata().expiresAt());
        EscrowedKey e = made.escrow();
        return new EscrowCreated(e.escrowId(), e.keyId(), e.keyVersion(), e.policyId(), e.status(),
                e.recoveryThreshold(), made.shares().stream().map(share -> new IssuedShareView(share.agentId(),
                share.role(), share.sealing(), Base64.getEncoder().encodeToString(share.share()))).toList(), e.expiresAt(),
                e.createdAt());
    }

    @Operation(summary = "List the escrowed keys, oldest first", operationId = "escrowListKeys",
            description = "Needs kms:read and the key-escrow add-on.")
    @GetMapping("/keys")
    @RequiredControls(scopes = KmsScopes.READ, addOn = ADD_ON, audit = "kms.escrow.keys.listed",
            resourceType = "key_escrow")
    EscrowList escrowListKeys(Caller caller) {
        Instant now = Instant.now();
        return new EscrowList(escrow.escrows(TenantRequired.tenantOf(caller)).stream()
                .map(e -> new EscrowSummary(e.escrowId(), e.keyId(), e.policyId(), e.statusAt(now), e.createdAt()))
                .toList());
    }

    @Operation(summary = "Initiate a key recovery from escrow", operationId = "escrowInitiateRecovery",
            description = "Opens a request that collects the agents' shares and the approvals. Its urgency sets "
                    + "how long it stays open and who may approve it. Needs kms:write and the key-escrow add-on.")
    @FailureResponse(status = 404, description = "The escrow does not exist for the caller's tenant")
    @FailureResponse(status = 409, description = "The escrow is recovered or expired")
    @PostMapping("/recovery/initiate")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, audit = "kms.escrow.recovery.initiated",
            resourceType = "escrow_recovery", resourceId = "#result.requestId")
    RecoveryInitiated escrowInitiateRecovery(Caller caller, @RequestBody InitiateRecoveryRequest request) {
        RecoveryDetails details = escrow.initiate(TenantRequired.tenantOf(caller), caller.principal(),
                request.escrowId(), request.reason(), request.urgency());
        return new RecoveryInitiated(details.request().requestId(), details.request().escrowId(), details.status(),
                details.request().requiredShares(), details.submittedShares(), details.request().createdAt());
    }

    @Operation(summary = "Submit a recovery share", operationId = "escrowSubmitShare",
            description = "An agent's share, checked against the keyed hash of the share issued to that agent and "
                    + "held sealed until the recovery is executed. A share that is not the agent's is refused "
                    + "(400, details.field share); a second share of the same agent is refused (409). Needs "
                    + "kms:write and the key-escrow add-on.")
    @FailureResponse(status = 404, description = "The recovery request does not exist for the caller's tenant")
    @FailureResponse(status = 409, description = "The agent has already submitted its share, or the request is "
            + "closed (denied, recovered or expired)")
    @PostMapping("/recovery/submit-share")
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, audit = "kms.escrow.recovery.share_submitted",
            resourceType = "escrow_recovery", resourceId = "#result.requestId")
    ShareSubmitted escrowSubmitShare(Caller caller, @RequestBody SubmitShareRequest request) {
        RecoveryDetails details = escrow.submitShare(TenantRequired.tenantOf(caller), caller.principal(),
                request.requestId(), request.agentId(), request.share());
        return new ShareSubmitted(details.request().requestId(), details.submittedShares(),
                details.request().requiredShares(), details.status());
    }

    @Operation(summary = "Approve or deny a key recovery request", operationId = "escrowApproveRecovery",
            description = "The caller who initiated the request cannot decide on it (403). A normal or urgent "
                    + "request is approved by one other caller; an emergency request by two other callers, or by "
                    + "one with the admin role. One denial closes the request. Needs kms:write and the key-escrow "
                    + "add-on.")
    @FailureResponse(status = 404, description = "The recovery request does not exist for the caller's tenant")
    @FailureResponse(status = 409, description = "The caller has already decided, the request is already "
            + "approved, or it is closed (denied, recovered or expired)")
    @PostMapping("/recovery/approve")
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, audit = "kms.escrow.recovery.decided",
            resourceType = "escrow_recovery", resourceId = "#result.requestId")
    DecisionMade escrowApproveRecovery(Caller caller, @RequestBody ApproveRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        RecoveryDecision decision = escrow.decide(tenant, caller.principal(), caller.isAdmin(), request.requestId(),
                request.decision(), request.reason());
        RecoveryDetails details = escrow.recovery(tenant, request.requestId());
        return new DecisionMade(details.request().requestId(), details.status(), decision.decidedBy(),
                decision.decidedAt());
    }

    @Operation(summary = "Execute a key recovery", operationId = "escrowExecuteRecovery",
            description = "Rebuilds the key material from the submitted shares once they reach the threshold and "
                    + "the request is approved, and erases the shares. Needs kms:write and the key-escrow add-on.")
    @FailureResponse(status = 404, description = "The recovery request does not exist for the caller's tenant")
    @FailureResponse(status = 409, description = "The request lacks shares or approval, or is closed")
    @PostMapping("/recovery/execute")
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, quota = "kms.escrow.recoveries",
            audit = "kms.escrow.recovered", resourceType = "escrow_recovery", resourceId = "#result.requestId",
            metering = "kms.escrow.recover")
    RecoveryExecuted escrowExecuteRecovery(Caller caller, @RequestBody ExecuteRequest request) {
        EscrowManagement.Recovered recovered = escrow.execute(TenantRequired.tenantOf(caller), caller.principal(),
                request.requestId());
        return new RecoveryExecuted(recovered.requestId(), recovered.keyId(), recovered.keyVersion(),
                Base64.getEncoder().encodeToString(recovered.material()), recovered.recoveredAt());
    }

    @Operation(summary = "Get a recovery request", operationId = "escrowGetRecovery",
            description = "Its status, shares submitted and decisions. Needs kms:read and the key-escrow add-on.")
    @GetMapping("/recovery/{requestId}")
    @RequiredControls(scopes = KmsScopes.READ, addOn = ADD_ON, audit = "kms.escrow.recovery.read",
            resourceType = "escrow_recovery", resourceId = "#requestId")
    RecoveryView escrowGetRecovery(Caller caller, @PathVariable String requestId) {
        RecoveryDetails details = escrow.recovery(TenantRequired.tenantOf(caller), requestId);
        var r = details.request();
        return new RecoveryView(r.requestId(), r.escrowId(), details.status(), r.urgency(), r.requestedBy(),
                r.requiredShares(), details.submittedShares(), details.decisions().stream()
                .map(d -> new ApprovalView(d.decidedBy(), d.decision(), d.admin(), d.reason(), d.decidedAt()))
                .toList(), r.createdAt(), r.expiresAt(), r.recoveredAt());
    }

    @Operation(summary = "Query the escrow audit log", operationId = "escrowAuditLog",
            description = "Every step of the tenant's escrows, oldest first (at most 1000). Needs kms:read and the "
                    + "key-escrow add-on.")
    @GetMapping("/audit")
    @RequiredControls(scopes = KmsScopes.READ, addOn = ADD_ON, audit = "kms.escrow.audit.read",
            resourceType = "key_escrow")
    AuditEventList escrowAuditLog(Caller caller,
                                  @Parameter(description = "only this escrow's events") @RequestParam(required = false)
                                  @Nullable String escrowId,
                                  @Parameter(description = "created, recovery_initiated, share_submitted, "
                                          + "share_rejected, approved, denied, recovered or expired")
                                  @RequestParam(required = false) @Nullable String eventType,
                                  @Parameter(description = "ISO 8601 timestamp: events at or after it")
                                  @RequestParam(required = false) @Nullable String since) {
        return new AuditEventList(escrow.audit(TenantRequired.tenantOf(caller), escrowId, eventType, since).stream()
                .map(e -> new AuditEventView(e.eventId(), e.escrowId(), e.eventType(), e.actor(), e.timestamp(),
                        e.details())).toList());
    }
}
