package io.qnsp.auth.risk;

import io.qnsp.common.security.TenantRequired;
import io.qnsp.common.security.Caller;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Records threat signals for a tenant's users and reads them back; only the caller's tenant's are visible. */
@Service
public class ThreatSignalManagement {

    /** The most signals one evaluation weighs: beyond that, the factor is at its maximum anyway. */
    static final int MAX_SCORED_SIGNALS = 500;

    private final ThreatSignals signals;
    private final JsonMapper json;
    private final Clock clock;

    ThreatSignalManagement(ThreatSignals signals, JsonMapper json, Optional<Clock> clock) {
        this.signals = signals;
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Transactional
    public SignalView record(Caller caller, SignalReport report) {
        String tenant = TenantRequired.tenantOf(caller);
        String details = null;
        if (report.details() != null) {
            details = json.writeValueAsString(report.details());
            if (details.getBytes(StandardCharsets.UTF_8).length > SignalReport.MAX_DETAILS_BYTES) {
                throw new InvalidRiskInput("metadata.details", "must be at most " + SignalReport.MAX_DETAILS_BYTES
                        + " bytes of JSON");
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        ThreatSignal signal = signals.save(new ThreatSignal(UUID.randomUUID(), tenant, report, details,
                caller.principal() == null ? "unknown" : caller.principal(), now));
        return view(signal);
    }

    /** The user's signals recorded at or after {@code since} (all kept ones when {@code null}), newest first. */
    @Transactional(readOnly = true)
    public SignalPage list(Caller caller, String userId, Instant since, int limit) {
        String tenant = TenantRequired.tenantOf(caller);
        Instant from = since == null ? Instant.EPOCH : since;
        List<SignalView> page = signals
                .findByTenantIdAndUserIdAndRecordedAtGreaterThanEqualOrderByRecordedAtDescIdDesc(tenant, userId,
                        from, Limit.of(limit))
                .stream().map(this::view).toList();
        return new SignalPage(page, signals.countByTenantIdAndUserIdAndRecordedAtGreaterThanEqual(tenant, userId,
                from));
    }

    /** The user's signals since the instant, as the scoring weighs them. */
    @Transactional(readOnly = true)
    List<RiskScoring.Signal> recentFor(String tenant, String userId, Instant since) {
        return signals.findByTenantIdAndUserIdAndRecordedAtGreaterThanEqualOrderByRecordedAtDescIdDesc(tenant,
                userId, since, Limit.of(MAX_SCORED_SIGNALS)).stream().map(ThreatSignal::scored).toList();
    }

    private SignalView view(ThreatSignal signal) {
        return new SignalView(signal.id(), signal.userId(), signal.signalType(), signal.severity(),
                signal.recordedAt(), signal.ipAddress(), signal.userAgent(),
                signal.details() == null ? null : json.readTree(signal.details()));
    }
}
