package io.qnsp.auth.risk;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One evaluated login attempt, kept as the user's login history and for the tenant's stats: who, from which
 * device (a SHA-256 digest of its fingerprint, never the fingerprint itself), where, when, and what was decided.
 */
@Entity
@Table(name = "risk_evaluation")
class RiskEvaluation {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private String tenantId;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "evaluated_at", nullable = false)
    private Instant evaluatedAt;

    @Column(name = "device_hash")
    private String deviceHash;

    private String country;

    private String city;

    private Double latitude;

    private Double longitude;

    @Column(name = "ip_address")
    private String ipAddress;

    @Column(name = "user_agent")
    private String userAgent;

    @Column(name = "previous_login_at")
    private Instant previousLoginAt;

    @Column(name = "failed_attempts", nullable = false)
    private int failedAttempts;

    @Column(name = "risk_score", nullable = false)
    private int riskScore;

    @Column(name = "risk_level", nullable = false)
    private String riskLevel;

    @Column(nullable = false)
    private String recommendation;

    @Column(name = "challenge_type")
    private String challengeType;

    @ElementCollection
    @CollectionTable(name = "risk_evaluation_factor", joinColumns = @JoinColumn(name = "evaluation_id"))
    @OrderColumn(name = "ordinal")
    private List<Factor> factors = new ArrayList<>();

    protected RiskEvaluation() {
        // for JPA
    }

    RiskEvaluation(UUID id, String tenantId, LoginAttempt attempt, String deviceHash, Instant evaluatedAt,
                   RiskScoring.Outcome outcome) {
        this.id = id;
        this.tenantId = tenantId;
        this.userId = attempt.userId();
        this.evaluatedAt = evaluatedAt;
        this.deviceHash = deviceHash;
        LoginAttempt.Location location = attempt.location();
        if (location != null) {
            this.country = location.country();
            this.city = location.city();
            this.latitude = location.latitude();
            this.longitude = location.longitude();
        }
        this.ipAddress = attempt.ipAddress();
        this.userAgent = attempt.userAgent();
        this.previousLoginAt = attempt.previousLoginAt();
        this.failedAttempts = attempt.failedAttempts();
        this.riskScore = outcome.score();
        this.riskLevel = outcome.level().value();
        this.recommendation = outcome.recommendation().value();
        this.challengeType = outcome.challengeType() == null ? null : outcome.challengeType().value();
        for (RiskFactor factor : outcome.factors()) {
            factors.add(new Factor(factor.name(), factor.score(), factor.reason()));
        }
    }

    UUID id() {
        return id;
    }

    Instant evaluatedAt() {
        return evaluatedAt;
    }

    LoginAttempt.Location location() {
        return new LoginAttempt.Location(country, city, latitude, longitude);
    }

    /** A factor as stored; {@code name} is what the stats count. */
    @Embeddable
    record Factor(@Column(nullable = false) String name, @Column(nullable = false) int score,
                  @Column(nullable = false) String reason) {
    }
}
