package io.qnsp.auth.risk;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A threat reported for one of a tenant's users; it raises that user's risk while it is recent. */
@Entity
@Table(name = "risk_signal")
class ThreatSignal {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private String tenantId;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "signal_type", nullable = false)
    private String signalType;

    @Column(nullable = false)
    private String severity;

    @Column(name = "ip_address")
    private String ipAddress;

    @Column(name = "user_agent")
    private String userAgent;

    /** Compact JSON text of the reporter's details object. */
    private String details;

    @Column(name = "reported_by", nullable = false)
    private String reportedBy;

    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    protected ThreatSignal() {
        // for JPA
    }

    ThreatSignal(UUID id, String tenantId, SignalReport report, String details, String reportedBy,
                 Instant recordedAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.userId = report.userId();
        this.signalType = report.signalType().value();
        this.severity = report.severity().value();
        this.ipAddress = report.ipAddress();
        this.userAgent = report.userAgent();
        this.details = details;
        this.reportedBy = reportedBy;
        this.recordedAt = recordedAt;
    }

    UUID id() {
        return id;
    }

    String userId() {
        return userId;
    }

    SignalType signalType() {
        return SignalType.fromValue(signalType);
    }

    Severity severity() {
        return Severity.fromValue(severity);
    }

    String ipAddress() {
        return ipAddress;
    }

    String userAgent() {
        return userAgent;
    }

    String details() {
        return details;
    }

    Instant recordedAt() {
        return recordedAt;
    }

    RiskScoring.Signal scored() {
        return new RiskScoring.Signal(signalType(), severity(), recordedAt);
    }
}
