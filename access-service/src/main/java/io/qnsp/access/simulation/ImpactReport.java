package io.qnsp.access.simulation;

import io.qnsp.access.policy.Effect;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer of an impact analysis, stored so it can be fetched again by its id.
 *
 * @param knownRequests how many distinct requests were replayed (decision log and the policies' own names)
 */
public record ImpactReport(ImpactSummary impactSummary, List<Sample> samples, List<String> warnings,
                           UUID analysisId,
                           @Schema(description = "distinct requests replayed: those of the decision log and each "
                                   + "principal x resource x action the policies name exactly") int knownRequests,
                           @Schema(allowableValues = {"create", "update", "delete"}) String changeType,
                           @Nullable String policyId, Instant analyzedAt) {

    /**
     * @param permissionsGranted known requests the change turns from deny to allow
     * @param permissionsRevoked known requests the change turns from allow to deny
     */
    public record ImpactSummary(int affectedPrincipals, int affectedResources, int permissionsGranted,
                                int permissionsRevoked) {
    }

    /** One request whose decision the change flips; principal and resource as {@code type:id}. */
    public record Sample(String principal, String resource, String action, Effect currentDecision,
                         Effect newDecision) {
    }
}
