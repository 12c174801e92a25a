package io.qnsp.auth.risk;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a risk policy says, as its author wrote it. A policy needs at least one condition.
 *
 * @param name               unique within the tenant, compared without regard to case
 * @param description        free text, or {@code null}
 * @param riskScoreThreshold the policy applies when the score is at least this (0–100), or {@code null}
 * @param geoRestrictions    ISO 3166-1 alpha-2 codes of the only countries logins may come from, or {@code null}
 * @param allowedHours       the only hours logins are expected, or {@code null}
 * @param onHighRisk         what the policy demands when it applies
 * @param challengeType      the challenge it demands when that is {@code challenge}
 * @param enabled            whether evaluations apply it
 */
public record PolicyDefinition(String name, String description, Integer riskScoreThreshold,
                               List<String> geoRestrictions, AllowedHours allowedHours, HighRiskAction onHighRisk,
                               ChallengeType challengeType, boolean enabled) {

    static final int MAX_COUNTRIES = 250;

    public PolicyDefinition {
        if (name == null || name.isBlank()) {
            throw new InvalidRiskInput("name", "must not be blank");
        }
        name = name.strip();
        description = description == null || description.isBlank() ? null : description.strip();
        if (riskScoreThreshold != null && (riskScoreThreshold < 0 || riskScoreThreshold > 100)) {
            throw new InvalidRiskInput("conditions.riskScoreThreshold", "must be between 0 and 100");
        }
        if (geoRestrictions != null) {
            geoRestrictions = countries(geoRestrictions);
        }
        if (riskScoreThreshold == null && geoRestrictions == null && allowedHours == null) {
            throw new InvalidRiskInput("conditions",
                    "must set at least one of riskScoreThreshold, geoRestrictions and timeRestrictions");
        }
        onHighRisk = onHighRisk == null ? HighRiskAction.CHALLENGE : onHighRisk;
        challengeType = challengeType == null ? ChallengeType.MFA : challengeType;
    }

    private static List<String> countries(List<String> codes) {
        if (codes.isEmpty()) {
            // an empty allow-list would lock every user out; leaving the field out means "any country"
            throw new InvalidRiskInput("conditions.geoRestrictions",
                    "must name at least one country (omit it to allow every country)");
        }
        if (codes.size() > MAX_COUNTRIES) {
            throw new InvalidRiskInput("conditions.geoRestrictions", "must name at most " + MAX_COUNTRIES
                    + " countries");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < codes.size(); i++) {
            unique.add(Countries.code(codes.get(i), "conditions.geoRestrictions[" + i + "]"));
        }
        return List.copyOf(new ArrayList<>(unique));
    }
}
