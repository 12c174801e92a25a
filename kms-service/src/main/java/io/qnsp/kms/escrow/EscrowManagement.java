package io.qnsp.kms.escrow;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import io.qnsp.kms.key.KeyAlgorithm;
import io.qnsp.kms.key.KeyManagement;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Key escrow: policies (agents, threshold, retention), escrowing a key by splitting its current material into one
 * Shamir share per agent, and recovery (initiate → agents submit shares → another caller approves → execute).
 * Every step lands in the escrow audit log.
 *
 * <p>Approval rule: the requester never decides on their own request. A {@code normal} or {@code urgent} request
 * needs one approval by another caller; an {@code emergency} one needs two approvals by two other callers, or one
 * by a caller with the admin role. A single denial closes the request.
 */
@Service
public class EscrowManagement {

    static final int MAX_AGENTS = 20;
    static final int MAX_TEXT = 1024;
    static final Set<String> ROLES = Set.of("primary", "secondary", "witness");
    static final Map<String, Duration> URGENCY_LIFETIME = Map.of("normal", Duration.ofDays(7),
            "urgent", Duration.ofHours(24), "emergency", Duration.ofHours(4));

    private static final Logger log = LoggerFactory.getLogger(EscrowManagement.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Escrows escrows;
    private final KeyManagement keys;
    private final ShareProtection protection;
    private final TransactionTemplate separately;
    private final Clock clock = Clock.systemUTC();

    EscrowManagement(Escrows escrows, KeyManagement keys, ShareProtection protection,
                     PlatformTransactionManager transactions) {
        this.escrows = escrows;
        this.keys = keys;
        this.protection = protection;
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * A share handed to its agent once, in the escrow's answer; never stored.
     *
     * @param sealing {@code null} for a share in the clear, else how it is sealed to the agent's public key
     */
    public record IssuedShare(String agentId, String role, @Nullable String sealing, byte[] share) {

        @Override
        public String toString() {
            return "IssuedShare[agentId=" + agentId + ", role=" + role + ", sealing=" + sealing + ", share=***]";
        }
    }

    public record Escrowed(EscrowedKey escrow, List<IssuedShare> shares) {

        @Override
        public String toString() {
            return "Escrowed[escrowId=" + escrow.escrowId() + ", shares=***]";
        }
    }

    /** A recovery request with what has happened to it so far, its status as of now. */
    public record RecoveryDetails(RecoveryRequest request, String status, int submittedShares,
                                  List<RecoveryDecision> decisions) {
    }

    /** The key material rebuilt from the shares. */
    public record Recovered(UUID requestId, UUID keyId, int keyVersion, byte[] material, Instant recoveredAt) {

        @Override
        public String toString() {
            return "Recovered[requestId=" + requestId + ", keyId=" + keyId + ", material=***]";
        }
    }

    // ---- policies ----

    @Transactional
    public EscrowPolicy createPolicy(String tenantId, @Nullable String name, @Nullable String description,
                                     @Nullable List<String> keyTypes, @Nullable List<EscrowAgent> agents,
                                     @Nullable Integer threshold, @Nullable String retentionPeriod) {
        InvalidField.Problems problems = new InvalidField.Problems();
        String cleanName = name(name, problems, true);
        description(description, problems);
        List<String> types = keyTypes(keyTypes, problems);
        List<EscrowAgent> cleanAgents = agents(agents, problems, true);
        threshold(threshold, cleanAgents, problems, true);
        if (retentionPeriod != null && retentionEnd(Instant.EPOCH, retentionPeriod) == null) {
            problems.add("retentionPeriod", "must be a positive ISO 8601 period or duration, e.g. P365D or PT720H");
        }
        problems.throwIfAny();
        Instant now = now();
        EscrowPolicy policy = new EscrowPolicy(UUID.randomUUID(), tenantId, cleanName, description, types,
                cleanAgents, threshold, retentionPeriod, now, now);
        escrows.insertPolicy(policy);
        return policy;
    }

    public List<EscrowPolicy> policies(String tenantId) {
        return escrows.policies(tenantId);
    }

    public EscrowPolicy policy(String tenantId, String policyId) {
        return escrows.findPolicy(tenantId, PathIds.parse(policyId, EscrowPolicyNotFound::new), false)
                .orElseThrow(EscrowPolicyNotFound::new);
    }

    /** Later escrows use the new agents and threshold; existing ones keep those they were split with. */
    @Transactional
    public EscrowPolicy updatePolicy(String tenantId, String policyId, @Nullable String name,
                                     @Nullable String description, @Nullable List<EscrowAgent> agents,
                                     @Nullable Integer threshold) {
        EscrowPolicy current = escrows.findPolicy(tenantId, PathIds.parse(policyId, EscrowPolicyNotFound::new), true)
                .orElseThrow(EscrowPolicyNotFound::new);
        InvalidField.Problems problems = new InvalidField.Problems();
        String newName = name == null ? current.name() : name(name, problems, true);
        description(description, problems);
        List<EscrowAgent> newAgents = agents == null ? current.agents() : agents(agents, problems, true);
        int newThreshold = threshold == null ? current.recoveryThreshold() : threshold;
        if (problems.isEmpty()) {
            threshold(newThreshold, newAgents, problems, true);
        }
        problems.throwIfAny();
        EscrowPolicy updated = new EscrowPolicy(current.policyId(), tenantId, newName,
                description == null ? current.description() : description, current.keyTypes(), newAgents,
                newThreshold, current.retentionPeriod(), current.createdAt(), now());
        escrows.updatePolicy(updated);
        return updated;
    }

    // ---- escrow ----

    /** Splits the key's current material into one share per agent of the policy; the shares are not stored. */
    @Transactional
    public Escrowed escrow(String tenantId, String actor, @Nullable String keyId, @Nullable String policyId,
                           @Nullable String reason, @Nullable String expiresAt) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID key = bodyId(keyId, "keyId", problems);
        UUID policyUuid = bodyId(policyId, "policyId", problems);
        if (reason != null && reason.length() > MAX_TEXT) {
            problems.add("metadata.reason", "must be at most " + MAX_TEXT + " characters");
        }
        Instant now = now();
        Instant until = null;
        if (expiresAt != null) {
            until = instant(expiresAt);
            if (until == null) {
                problems.add("metadata.expiresAt", "must be an ISO 8601 timestamp, e.g. 2030-01-01T00:00:00Z");
            } else if (!until.isAfter(now)) {
                problems.add("metadata.expiresAt", "must be in the future");
            }
        }
        problems.throwIfAny();
        EscrowPolicy policy = escrows.findPolicy(tenantId, policyUuid, false).orElseThrow(EscrowPolicyNotFound::new);
        KeyManagement.CurrentMaterial material = keys.currentMaterial(tenantId, key.toString());
        if (!policy.keyTypes().isEmpty() && !policy.keyTypes().contains(material.algorithm().apiName())) {
            throw new InvalidField("keyId", "is a " + material.algorithm().apiName() + " key; the policy escrows "
                    + String.join(", ", policy.keyTypes()) + " keys");
        }
        if (until == null && policy.retentionPeriod() != null) {
            until = retentionEnd(now, policy.retentionPeriod());
        }
        byte[] secret = material.material();
        byte[][] shares = Shamir.split(secret, policy.agents().size(), policy.recoveryThreshold(), RANDOM);
        Arrays.fill(secret, (byte) 0);
        EscrowedKey escrowed = new EscrowedKey(UUID.randomUUID(), tenantId, material.keyId(), material.version(),
                policy.policyId(), policy.agents(), policy.recoveryThreshold(), reason, EscrowedKey.ACTIVE, until,
                now, null);
        escrows.insertEscrow(escrowed);
        List<IssuedShare> issued = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            EscrowAgent agent = policy.agents().get(i);
            escrows.insertShareCheck(escrowed.escrowId(), agent.agentId(), shares[i][0] & 0xff,
                    protection.hash(escrowed.escrowId(), agent.agentId(), shares[i]));
            if (agent.publicKey() == null) {
                issued.add(new IssuedShare(agent.agentId(), agent.role(), null, shares[i]));
            } else {
                java.security.PublicKey publicKey = AgentSealing.parse(agent.publicKey());
                issued.add(new IssuedShare(agent.agentId(), agent.role(), AgentSealing.scheme(publicKey),
                        AgentSealing.seal(publicKey, escrowed.escrowId(), agent.agentId(), shares[i])));
                Arrays.fill(shares[i], (byte) 0);
            }
        }
        audit(tenantId, escrowed.escrowId(), EscrowAuditEvent.CREATED, actor, details("keyId", material.keyId(),
                "keyVersion", material.version(), "policyId", policy.policyId(), "recoveryThreshold",
                policy.recoveryThreshold(), "agents", policy.agents().stream().map(EscrowAgent::agentId).toList()));
        log.info("escrowed key {} v{} as {} in {} shares, threshold {}", material.keyId(), material.version(),
                escrowed.escrowId(), shares.length, policy.recoveryThreshold());
        return new Escrowed(escrowed, issued);
    }

    public List<EscrowedKey> escrows(String tenantId) {
        return escrows.escrows(tenantId);
    }

    // ---- recovery ----

    @Transactional
    public RecoveryDetails initiate(String tenantId, String actor, @Nullable String escrowId, @Nullable String reason,
                                    @Nullable String urgency) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID escrowUuid = bodyId(escrowId, "escrowId", problems);
        if (reason == null || reason.isBlank()) {
            problems.add("reason", "is required");
        } else if (reason.length() > MAX_TEXT) {
            problems.add("reason", "must be at most " + MAX_TEXT + " characters");
        }
        String level = urgency == null ? "normal" : urgency;
        if (!URGENCY_LIFETIME.containsKey(level)) {
            problems.add("urgency", "must be one of normal, urgent, emergency");
        }
        problems.throwIfAny();
        EscrowedKey escrow = escrows.findEscrow(tenantId, escrowUuid, true).orElseThrow(EscrowNotFound::new);
        Instant now = now();
        String escrowStatus = escrow.statusAt(now);
        if (!EscrowedKey.ACTIVE.equals(escrowStatus)) {
            throw new RecoveryConflict(escrowStatus, "The escrow is " + escrowStatus + ": it cannot be recovered");
        }
        RecoveryRequest request = new RecoveryRequest(UUID.randomUUID(), tenantId, escrow.escrowId(),
                RecoveryRequest.PENDING_SHARES, level, reason, actor, escrow.recoveryThreshold(), now,
                now.plus(URGENCY_LIFETIME.get(level)), null);
        escrows.insertRequest(request);
        audit(tenantId, escrow.escrowId(), EscrowAuditEvent.RECOVERY_INITIATED, actor,
                details("requestId", request.requestId(), "urgency", level, "reason", reason));
        return new RecoveryDetails(request, request.status(), 0, List.of());
    }

    /**
     * An agent's share, recognised by its keyed hash and held sealed until the recovery is executed. A share that
     * does not match the one issued to the agent, or a second share of the same agent, is refused and audited.
     */
    @Transactional
    public RecoveryDetails submitShare(String tenantId, String actor, @Nullable String requestId,
                                       @Nullable String agentId, @Nullable String share) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID requestUuid = bodyId(requestId, "requestId", problems);
        if (agentId == null || agentId.isBlank()) {
            problems.add("agentId", "is required");
        }
        byte[] shareBytes = null;
        if (share == null || share.isBlank()) {
            problems.add("share", "is required");
        } else {
            shareBytes = problems.base64(share, "share");
        }
        problems.throwIfAny();
        RecoveryRequest request = open(tenantId, requestUuid);
        EscrowedKey escrow = escrows.findEscrow(tenantId, request.escrowId(), false).orElseThrow(EscrowNotFound::new);
        if (escrow.agents().stream().noneMatch(agent -> agentId.equals(agent.agentId()))) {
            throw new InvalidField("agentId", "is not an agent of this escrow");
        }
        if (escrows.hasSubmitted(request.requestId(), agentId)) {
            rejected(tenantId, escrow.escrowId(), actor, request.requestId(), agentId, "duplicate");
            throw new RecoveryConflict(request.status(), "Agent " + agentId + " has already submitted its share");
        }
        byte[] expected = escrows.shareHash(escrow.escrowId(), agentId).orElseThrow(EscrowNotFound::new);
        if (!protection.matches(escrow.escrowId(), agentId, shareBytes, expected)) {
            rejected(tenantId, escrow.escrowId(), actor, request.requestId(), agentId, "mismatch");
            throw new InvalidField("share", "is not the share issued to agent " + agentId + " for this escrow");
        }
        Instant now = now();
        escrows.insertSubmittedShare(request.requestId(), agentId,
                protection.seal(request.requestId(), agentId, shareBytes), now);
        Arrays.fill(shareBytes, (byte) 0);
        audit(tenantId, escrow.escrowId(), EscrowAuditEvent.SHARE_SUBMITTED, actor,
                details("requestId", request.requestId(), "agentId", agentId));
        return settle(request);
    }

    /** An approval or denial by a caller other than the requester; see the class comment for the rule. */
    @Transactional
    public RecoveryDecision decide(String tenantId, String actor, boolean admin, @Nullable String requestId,
                                   @Nullable String decision, @Nullable String reason) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID requestUuid = bodyId(requestId, "requestId", problems);
        if (!"approve".equals(decision) && !"deny".equals(decision)) {
            problems.add("decision", "must be approve or deny");
        }
        if (reason != null && reason.length() > MAX_TEXT) {
            problems.add("reason", "must be at most " + MAX_TEXT + " characters");
        }
        problems.throwIfAny();
        RecoveryRequest request = open(tenantId, requestUuid);
        if (request.requestedBy().equals(actor)) {
            throw new SelfApprovalRefused();
        }
        if (escrows.decisions(request.requestId()).stream().anyMatch(d -> d.decidedBy().equals(actor))) {
            throw new RecoveryConflict(request.status(), "This caller has already decided on the request");
        }
        if (RecoveryRequest.APPROVED.equals(request.status())) {
            throw new RecoveryConflict(request.status(), "The request is already approved");
        }
        RecoveryDecision made = new RecoveryDecision(actor, admin, decision, reason, now());
        escrows.insertDecision(request.requestId(), made);
        boolean approve = "approve".equals(decision);
        audit(tenantId, request.escrowId(), approve ? EscrowAuditEvent.APPROVED : EscrowAuditEvent.DENIED, actor,
                details("requestId", request.requestId(), "reason", reason, "admin", admin));
        if (!approve) {
            escrows.eraseSubmittedShares(request.requestId());
            escrows.updateRequest(request.withStatus(RecoveryRequest.DENIED, null));
        } else {
            settle(request);
        }
        return made;
    }

    /** Rebuilds the key once the shares reach the threshold and the request is approved; the shares are erased. */
    @Transactional
    public Recovered execute(String tenantId, String actor, @Nullable String requestId) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID requestUuid = bodyId(requestId, "requestId", problems);
        problems.throwIfAny();
        RecoveryRequest request = open(tenantId, requestUuid);
        Map<String, byte[]> sealed = escrows.submittedShares(request.requestId());
        if (!RecoveryRequest.APPROVED.equals(request.status()) || sealed.size() < request.requiredShares()) {
            throw new RecoveryConflict(request.status(), "The request needs " + request.requiredShares()
                    + " shares (" + sealed.size() + " submitted) and its approval before it is executed");
        }
        EscrowedKey escrow = escrows.findEscrow(tenantId, request.escrowId(), true).orElseThrow(EscrowNotFound::new);
        if (EscrowedKey.RECOVERED.equals(escrow.status())) {
            throw new RecoveryConflict(escrow.status(), "The escrow has already been recovered");
        }
        List<byte[]> shares = new ArrayList<>();
        sealed.forEach((agent, box) -> shares.add(protection.open(request.requestId(), agent, box)));
        byte[] material = Shamir.combine(shares);
        shares.forEach(share -> Arrays.fill(share, (byte) 0));
        Instant now = now();
        escrows.eraseSubmittedShares(request.requestId());
        escrows.updateRequest(request.withStatus(RecoveryRequest.RECOVERED, now));
        escrows.markEscrowRecovered(escrow.escrowId(), now);
        audit(tenantId, escrow.escrowId(), EscrowAuditEvent.RECOVERED, actor,
                details("requestId", request.requestId(), "keyId", escrow.keyId(), "shares", sealed.size()));
        log.info("recovered key {} v{} from escrow {} ({} shares)", escrow.keyId(), escrow.keyVersion(),
                escrow.escrowId(), sealed.size());
        return new Recovered(request.requestId(), escrow.keyId(), escrow.keyVersion(), material, now);
    }

    public RecoveryDetails recovery(String tenantId, String requestId) {
        RecoveryRequest request = escrows.findRequest(tenantId, PathIds.parse(requestId, RecoveryRequestNotFound::new),
                false).orElseThrow(RecoveryRequestNotFound::new);
        return new RecoveryDetails(request, request.statusAt(now()), escrows.submittedCount(request.requestId()),
                escrows.decisions(request.requestId()));
    }

    public List<EscrowAuditEvent> audit(String tenantId, @Nullable String escrowId, @Nullable String eventType,
                                        @Nullable String since) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID escrow = null;
        if (escrowId != null) {
            escrow = problems.uuid(escrowId, "escrowId");
        }
        if (eventType != null && !EscrowAuditEvent.TYPES.contains(eventType)) {
            problems.add("eventType", "must be one of " + EscrowAuditEvent.TYPES.stream().sorted().toList());
        }
        Instant from = since == null ? null : instant(since);
        if (since != null && from == null) {
            problems.add("since", "must be an ISO 8601 timestamp, e.g. 2030-01-01T00:00:00Z");
        }
        problems.throwIfAny();
        return escrows.events(tenantId, escrow, eventType, from);
    }

    /** Closes the requests whose lifetime has passed and erases the shares submitted to them. */
    @Scheduled(fixedDelayString = "${qnsp.kms.deletion-sweep-interval:1m}")
    @Transactional
    public int expireDueRequests() {
        List<RecoveryRequest> due = escrows.dueForExpiry(now());
        for (RecoveryRequest request : due) {
            escrows.eraseSubmittedShares(request.requestId());
            escrows.updateRequest(request.withStatus(RecoveryRequest.EXPIRED, null));
            audit(request.tenantId(), request.escrowId(), EscrowAuditEvent.EXPIRED, "system",
                    details("requestId", request.requestId()));
        }
        if (!due.isEmpty()) {
            log.info("expired {} escrow recovery request(s) and erased their shares", due.size());
        }
        return due.size();
    }

    // ---- rules ----

    /** The request, locked, when it still takes shares and decisions. */
    private RecoveryRequest open(String tenantId, UUID requestId) {
        RecoveryRequest request = escrows.findRequest(tenantId, requestId, true)
                .orElseThrow(RecoveryRequestNotFound::new);
        String status = request.statusAt(now());
        if (RecoveryRequest.CLOSED.contains(status)) {
            throw new RecoveryConflict(status, "The recovery request is " + status);
        }
        return request;
    }

    /** Recomputes an open request's status from its shares and approvals. */
    private RecoveryDetails settle(RecoveryRequest request) {
        int submitted = escrows.submittedCount(request.requestId());
        List<RecoveryDecision> decisions = escrows.decisions(request.requestId());
        String status;
        if (approved(request, decisions)) {
            status = RecoveryRequest.APPROVED;
        } else if (submitted >= request.requiredShares()) {
            status = RecoveryRequest.READY_FOR_APPROVAL;
        } else {
            status = RecoveryRequest.PENDING_SHARES;
        }
        RecoveryRequest settled = request.withStatus(status, null);
        if (!status.equals(request.status())) {
            escrows.updateRequest(settled);
        }
        return new RecoveryDetails(settled, status, submitted, decisions);
    }

    static boolean approved(RecoveryRequest request, List<RecoveryDecision> decisions) {
        List<RecoveryDecision> approvals = decisions.stream()
                .filter(d -> "approve".equals(d.decision()) && !d.decidedBy().equals(request.requestedBy())).toList();
        if (!"emergency".equals(request.urgency())) {
            return !approvals.isEmpty();
        }
        return approvals.size() >= 2 || approvals.stream().anyMatch(RecoveryDecision::admin);
    }

    private void rejected(String tenantId, UUID escrowId, String actor, UUID requestId, String agentId,
                          String why) {
        // the refusal rolls the request's transaction back: its audit entry is written in one of its own
        separately.executeWithoutResult(status -> audit(tenantId, escrowId, EscrowAuditEvent.SHARE_REJECTED, actor,
                details("requestId", requestId, "agentId", agentId, "reason", why)));
    }

    private void audit(String tenantId, UUID escrowId, String type, String actor, Map<String, Object> details) {
        escrows.insertEvent(tenantId, new EscrowAuditEvent(UUID.randomUUID(), escrowId, type, actor, now(), details));
    }

    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                details.put((String) pairs[i], pairs[i + 1] instanceof UUID id ? id.toString() : pairs[i + 1]);
            }
        }
        return details;
    }

    private static String name(@Nullable String name, InvalidField.Problems problems, boolean required) {
        if (name == null || name.isBlank()) {
            if (required) {
                problems.add("name", "is required");
            }
            return "";
        }
        if (name.strip().length() > 200) {
            problems.add("name", "must be at most 200 characters");
        }
        return name.strip();
    }

    private static void description(@Nullable String description, InvalidField.Problems problems) {
        if (description != null && description.length() > MAX_TEXT) {
            problems.add("description", "must be at most " + MAX_TEXT + " characters");
        }
    }

    private static List<String> keyTypes(@Nullable List<String> keyTypes, InvalidField.Problems problems) {
        if (keyTypes == null) {
            return List.of();
        }
        for (String type : keyTypes) {
            if (type == null || KeyAlgorithm.fromApiName(type) == null) {
                problems.add("keyTypes", "must each be one of " + KeyAlgorithm.apiNames());
                return List.of();
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(keyTypes));
    }

    private static List<EscrowAgent> agents(@Nullable List<EscrowAgent> agents, InvalidField.Problems problems,
                                            boolean required) {
        if (agents == null || agents.isEmpty()) {
            if (required) {
                problems.add("escrowAgents", "must name at least one agent");
            }
            return List.of();
        }
        if (agents.size() > MAX_AGENTS) {
            problems.add("escrowAgents", "must name at most " + MAX_AGENTS + " agents");
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        List<EscrowAgent> clean = new ArrayList<>();
        for (EscrowAgent agent : agents) {
            if (agent == null || agent.agentId() == null || agent.agentId().isBlank()
                    || agent.agentId().length() > 200) {
                problems.add("escrowAgents", "each agent needs an agentId of 1 to 200 characters");
                return List.of();
            }
            if (agent.role() == null || !ROLES.contains(agent.role())) {
                problems.add("escrowAgents", "each agent's role must be one of primary, secondary, witness");
                return List.of();
            }
            if (!seen.add(agent.agentId())) {
                problems.add("escrowAgents", "names agent " + agent.agentId() + " twice");
                return List.of();
            }
            if (agent.publicKey() != null && AgentSealing.parse(agent.publicKey()) == null) {
                problems.add("escrowAgents", "each agent's publicKey must be a base64 X.509 RSA key of 2048 bits "
                        + "or more, or an ML-KEM-768 key");
                return List.of();
            }
            clean.add(new EscrowAgent(agent.agentId(), agent.role(), agent.publicKey()));
        }
        return List.copyOf(clean);
    }

    private static void threshold(@Nullable Integer threshold, List<EscrowAgent> agents,
                                  InvalidField.Problems problems, boolean required) {
        if (threshold == null) {
            if (required) {
                problems.add("recoveryThreshold", "is required");
            }
            return;
        }
        int max = Math.max(agents.size(), 1);
        if (threshold < 1 || (!agents.isEmpty() && threshold > agents.size())) {
            problems.add("recoveryThreshold", "must be between 1 and the number of agents (" + max + ")");
        }
    }

    private static UUID bodyId(@Nullable String id, String field, InvalidField.Problems problems) {
        if (id == null || id.isBlank()) {
            problems.add(field, "is required");
            return null;
        }
        return problems.uuid(id, field);
    }

    private static @Nullable Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The end of a retention starting at {@code from}, or {@code null} when the period is not a positive one. */
    static @Nullable Instant retentionEnd(Instant from, String period) {
        try {
            Period p = Period.parse(period);
            if (p.isNegative() || p.isZero()) {
                return null;
            }
            return from.atOffset(ZoneOffset.UTC).plus(p).toInstant();
        } catch (DateTimeParseException e) {
            try {
                Duration d = Duration.parse(period);
                return d.isNegative() || d.isZero() ? null : from.plus(d);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
