package io.qnsp.access.jit;

import io.qnsp.access.policy.Glob;
import io.qnsp.access.policy.PolicyVersions;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.common.web.PathIds;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Just-in-time access: JIT policies, requests approved at once or by someone holding an approver role (never the
 * requester), and grants that take part in every decision until exactly their expiry or revocation. A grant's
 * creation and revocation raise the tenant's policy version like a policy change, so cached copies are replaced.
 */
@Service
public class JitManagement {

    private final JitPolicies policies;
    private final JitRequests requests;
    private final JitGrants grants;
    private final PolicyVersions versions;
    private final Clock clock;

    JitManagement(JitPolicies policies, JitRequests requests, JitGrants grants, PolicyVersions versions, Clock clock) {
        this.policies = policies;
        this.requests = requests;
        this.grants = grants;
        this.versions = versions;
        this.clock = clock;
    }

    @Transactional
    public JitPolicy createPolicy(String tenantId, String actor, NewJitPolicy request) {
        JitPolicy policy = new JitPolicy(UUID.randomUUID(), tenantId, request.name(), request.description(),
                request.resourceTypes(), request.maxDurationMinutes(), request.requireApproval(),
                request.approverRoles(), request.autoApprove(), now(), actor);
        policies.insert(policy);
        return policy;
    }

    public List<JitPolicy> policies(String tenantId) {
        return policies.all(tenantId);
    }

    /** A request and, when it was approved at once, its grant. */
    public record Requested(JitRequest request, @Nullable JitGrant grant) {
    }

    /**
     * Files a request under the policy covering its resource type. Without required approval, or when the policy's
     * auto-approval conditions hold (time window, risk score at most the maximum), it is approved at once and its
     * grant is active from now.
     *
     * @param riskScore the requester's risk score (0 to 100) as auth-service evaluated it, when the caller knows it
     */
    @Transactional
    public Requested request(String tenantId, String requesterId, String resourceType, String resourceId,
                             List<String> permissions, String justification, int durationMinutes,
                             @Nullable String ticketReference, @Nullable BigDecimal riskScore) {
        JitPolicy policy = policies.covering(tenantId, resourceType).orElseThrow(() -> new InvalidField(
                "resourceType", "is covered by no JIT policy of the tenant"));
        if (durationMinutes > policy.maxDurationMinutes()) {
            throw new InvalidField("duration", "must be at most " + policy.maxDurationMinutes() + " minutes under "
                    + "JIT policy '" + policy.name() + "'");
        }
        Instant now = now();
        boolean approvedAtOnce = !policy.requireApproval() || policy.autoApprove() != null
                && policy.autoApprove().approves(LocalTime.ofInstant(now, ZoneOffset.UTC), riskScore);
        UUID requestId = UUID.randomUUID();
        JitRequest request = new JitRequest(requestId, tenantId, policy.policyId(), requesterId, resourceType,
                resourceId, permissions, justification, durationMinutes, ticketReference, riskScore,
                JitRequest.PENDING, approvedAtOnce ? List.of() : policy.approverRoles(), now, null, null, null,
                approvedAtOnce, null);
        requests.insert(request);
        if (!approvedAtOnce) {
            return new Requested(request, null);
        }
        JitGrant grant = grant(request, durationMinutes, now);
        JitRequest approved = request.processed(JitRequest.APPROVED, now, "auto-approval",
                policy.requireApproval() ? "auto-approval conditions held" : "no approval required", grant.grantId());
        requests.update(approved);
        return new Requested(approved, grant);
    }

    public List<JitRequest> list(String tenantId, @Nullable String status, @Nullable String requesterId, int limit,
                                 int offset) {
        return requests.page(tenantId, status, requesterId, limit, offset);
    }

    public long count(String tenantId, @Nullable String status, @Nullable String requesterId) {
        return requests.count(tenantId, status, requesterId);
    }

    /**
     * Approves or denies a pending request. The approver is never the requester and holds one of the policy's
     * approver roles (a policy naming none is processed by a tenant admin). An approval may shorten or lengthen the
     * duration within the policy's maximum; the grant runs from now.
     */
    @Transactional
    public Requested process(String tenantId, Caller approver, String requestId, boolean approve,
                             @Nullable String reason, @Nullable Integer modifiedDuration) {
        JitRequest request = requests.findForUpdate(tenantId, PathIds.parse(requestId, JitRequestNotFound::new))
                .orElseThrow(JitRequestNotFound::new);
        JitPolicy policy = policies.find(tenantId, request.policyId()).orElseThrow(JitRequestNotFound::new);
        if (approver.principal().equals(request.requesterId())) {
            throw new SelfApprovalRefused();
        }
        List<String> roles = policy.approverRoles().isEmpty() ? List.of(Caller.ADMIN_ROLE) : policy.approverRoles();
        if (roles.stream().noneMatch(approver::hasRole)) {
            throw new ApproverRoleMissing(roles);
        }
        if (!request.status().equals(JitRequest.PENDING)) {
            throw new JitRequestAlreadyProcessed();
        }
        int duration = modifiedDuration == null ? request.durationMinutes() : modifiedDuration;
        if (modifiedDuration != null && (duration < 1 || duration > policy.maxDurationMinutes())) {
            throw new InvalidField("modifiedDuration", "must be between 1 and " + policy.maxDurationMinutes()
                    + " minutes under JIT policy '" + policy.name() + "'");
        }
        Instant now = now();
        if (!approve) {
            JitRequest denied = request.processed(JitRequest.DENIED, now, approver.principal(), reason, null);
            requests.update(denied);
            return new Requested(denied, null);
        }
        JitGrant grant = grant(request, duration, now);
        JitRequest approved = request.processed(JitRequest.APPROVED, now, approver.principal(), reason,
                grant.grantId());
        requests.update(approved);
        return new Requested(approved, grant);
    }

    /** The principal's grants active now, latest expiry first. */
    public List<JitGrant> activeGrants(String tenantId, String principalId) {
        return grants.active(tenantId, principalId, clock.instant());
    }

    /** The active grant letting the principal perform the permission on the resource now, if any. */
    public @Nullable JitGrant grantFor(String tenantId, String principalId, String resourceType, String resourceId,
                                       String permission) {
        for (JitGrant grant : grants.active(tenantId, principalId, clock.instant())) {
            if (grant.resourceType().equals(resourceType) && grant.resourceId().equals(resourceId)
                    && grant.permissions().stream().anyMatch(p -> Glob.of(p).matches(permission))) {
                return grant;
            }
        }
        return null;
    }

    @Transactional
    public JitGrant revoke(String tenantId, String actor, String grantId, @Nullable String reason) {
        versions.raise(tenantId);
        JitGrant grant = grants.findForUpdate(tenantId, PathIds.parse(grantId, JitGrantNotFound::new))
                .orElseThrow(JitGrantNotFound::new);
        Instant now = now();
        if (!grant.activeAt(now)) {
            throw new JitGrantNotActive();
        }
        grants.revoke(grant, now, actor, reason);
        return new JitGrant(grant.grantId(), grant.tenantId(), grant.requestId(), grant.principalId(),
                grant.resourceType(), grant.resourceId(), grant.permissions(), grant.grantedAt(), grant.expiresAt(),
                now, actor, reason);
    }

    /** The statistics of the requests made in the last {@code period}, and the grants active now. */
    public record Stats(long total, long approved, long denied, long pending, double averageApprovalSeconds,
                        long activeGrants, List<TypeCount> topResources) {
    }

    /** How many requests named a resource type. */
    public record TypeCount(String resourceType, long count) {
    }

    public Stats stats(String tenantId, Duration period) {
        Instant now = clock.instant();
        JitRequests.Figures figures = requests.figures(tenantId, now.minus(period));
        return new Stats(figures.total(), figures.approved(), figures.denied(), figures.pending(),
                figures.averageApprovalSeconds(), grants.countActive(tenantId, now),
                requests.topResourceTypes(tenantId, now.minus(period), 10));
    }

    private JitGrant grant(JitRequest request, int durationMinutes, Instant now) {
        versions.raise(request.tenantId());
        JitGrant grant = new JitGrant(UUID.randomUUID(), request.tenantId(), request.requestId(),
                request.requesterId(), request.resourceType(), request.resourceId(), request.permissions(), now,
                now.plus(Duration.ofMinutes(durationMinutes)), null, null, null);
        grants.insert(grant);
        return grant;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
