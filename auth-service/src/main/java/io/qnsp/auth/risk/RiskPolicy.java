package io.qnsp.auth.risk;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A tenant's risk policy: conditions under which a login must be challenged or denied. */
@Entity
@Table(name = "risk_policy")
class RiskPolicy {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private String tenantId;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(name = "risk_score_threshold")
    private Integer riskScoreThreshold;

    /** Comma-separated ISO codes; two capital letters each, so a comma never appears inside one. */
    @Column(name = "geo_restrictions")
    private String geoRestrictions;

    @Column(name = "allowed_hours_start")
    private Integer allowedHoursStart;

    @Column(name = "allowed_hours_end")
    private Integer allowedHoursEnd;

    @Column(name = "time_zone")
    private String timeZone;

    @Column(name = "on_high_risk", nullable = false)
    private String onHighRisk;

    @Column(name = "challenge_type", nullable = false)
    private String challengeType;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected RiskPolicy() {
        // for JPA
    }

    RiskPolicy(UUID id, String tenantId, PolicyDefinition definition, Instant now) {
        this.id = id;
        this.tenantId = tenantId;
        this.createdAt = now;
        apply(definition, now);
    }

    void apply(PolicyDefinition definition, Instant now) {
        this.name = definition.name();
        this.description = definition.description();
        this.riskScoreThreshold = definition.riskScoreThreshold();
        this.geoRestrictions = definition.geoRestrictions() == null ? null
                : String.join(",", definition.geoRestrictions());
        AllowedHours hours = definition.allowedHours();
        this.allowedHoursStart = hours == null ? null : hours.start();
        this.allowedHoursEnd = hours == null ? null : hours.end();
        this.timeZone = hours == null ? null : hours.zone().getId();
        this.onHighRisk = definition.onHighRisk().value();
        this.challengeType = definition.challengeType().value();
        this.enabled = definition.enabled();
        this.updatedAt = now;
    }

    UUID id() {
        return id;
    }

    PolicyDefinition definition() {
        return new PolicyDefinition(name, description, riskScoreThreshold, countries(), hours(),
                HighRiskAction.fromValue(onHighRisk), ChallengeType.fromValue(challengeType), enabled);
    }

    PolicyView view() {
        return new PolicyView(id, definition(), createdAt, updatedAt);
    }

    RiskScoring.Policy rules() {
        List<String> countries = countries();
        return new RiskScoring.Policy(id, name, riskScoreThreshold, countries == null ? Set.of() : Set.copyOf(countries),
                hours(), HighRiskAction.fromValue(onHighRisk), ChallengeType.fromValue(challengeType));
    }

    private List<String> countries() {
        return geoRestrictions == null ? null : Arrays.asList(geoRestrictions.split(","));
    }

    private AllowedHours hours() {
        return allowedHoursStart == null ? null
                : new AllowedHours(allowedHoursStart, allowedHoursEnd, ZoneId.of(timeZone));
    }
}
