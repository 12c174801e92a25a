package io.qnsp.access.simulation;

import io.qnsp.access.decision.AccessDecisions;
import io.qnsp.access.policy.AccessRequest;
import io.qnsp.access.policy.Decision;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Simulations: the decision the tenant's current rules would make, for one request or a batch, recorded in the
 * simulation history and never in the decision log.
 */
@Service
public class SimulationManagement {

    /** A simulated decision and the history entry that records it. */
    public record Simulated(UUID simulationId, Decision decision, Instant simulatedAt) {
    }

    /** One request of a batch. */
    public record BatchItem(String requestId, AccessRequest request) {
    }

    /** A batch's answers, in the order of its requests. */
    public record BatchResult(UUID simulationId, List<Decided> results, int allowed, int denied) {
    }

    public record Decided(String requestId, Decision decision) {
    }

    /** A page of the history. */
    public record History(List<Simulations.Entry> simulations, long total) {
    }

    private final AccessDecisions decisions;
    private final Simulations simulations;

    SimulationManagement(AccessDecisions decisions, Simulations simulations) {
        this.decisions = decisions;
        this.simulations = simulations;
    }

    @Transactional
    public Simulated single(String tenantId, String actor, AccessRequest request) {
        AccessDecisions.Made made = decisions.simulate(tenantId, request);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("decision", made.decision().decision().apiName());
        summary.put("principal", request.principal().name());
        summary.put("resource", request.resource().name());
        summary.put("action", request.action());
        UUID id = UUID.randomUUID();
        simulations.insert(tenantId, new Simulations.Entry(id, "single", actor, made.decidedAt(), summary), null);
        return new Simulated(id, made.decision(), made.decidedAt());
    }

    @Transactional
    public BatchResult batch(String tenantId, String actor, List<BatchItem> items) {
        List<Decided> results = new ArrayList<>(items.size());
        int allowed = 0;
        Instant at = null;
        for (BatchItem item : items) {
            AccessDecisions.Made made = decisions.simulate(tenantId, item.request());
            at = at == null ? made.decidedAt() : at;
            results.add(new Decided(item.requestId(), made.decision()));
            allowed += made.decision().allowed() ? 1 : 0;
        }
        int denied = items.size() - allowed;
        UUID id = UUID.randomUUID();
        simulations.insert(tenantId, new Simulations.Entry(id, "batch", actor, at,
                Map.of("total", items.size(), "allowed", allowed, "denied", denied)), null);
        return new BatchResult(id, results, allowed, denied);
    }

    public History history(String tenantId, @Nullable Instant since, int limit, int offset) {
        return new History(simulations.page(tenantId, since, limit, offset), simulations.count(tenantId, since));
    }
}
