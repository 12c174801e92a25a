package io.qnsp.auth.risk;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluations and signals are deleted after their retention (90 days by default) and their raw IP addresses
 * erased after 30 days, the rest of the record staying for history and stats.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RiskRetentionIntegrationTests {

    @Autowired
    RiskRetention retention;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void expiredDataIsDeletedAndOldAddressesErased() {
        String tenant = RiskApi.freshTenant();
        Instant now = Instant.now();
        UUID expiredEvaluation = evaluation(tenant, now.minus(Duration.ofDays(91)));
        UUID agedEvaluation = evaluation(tenant, now.minus(Duration.ofDays(31)));
        UUID freshEvaluation = evaluation(tenant, now.minus(Duration.ofDays(29)));
        UUID expiredSignal = signal(tenant, now.minus(Duration.ofDays(91)));
        UUID agedSignal = signal(tenant, now.minus(Duration.ofDays(31)));
        UUID freshSignal = signal(tenant, now.minus(Duration.ofDays(1)));

        retention.sweep();

        assertThat(count("risk_evaluation", expiredEvaluation)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM risk_evaluation_factor WHERE evaluation_id = ?",
                Long.class, expiredEvaluation)).isZero();
        assertThat(count("risk_signal", expiredSignal)).isZero();

        assertThat(address("risk_evaluation", agedEvaluation)).isNull();
        assertThat(address("risk_signal", agedSignal)).isNull();
        assertThat(jdbc.queryForObject("SELECT user_agent FROM risk_evaluation WHERE id = ?", String.class,
                agedEvaluation)).isEqualTo("agent");

        assertThat(address("risk_evaluation", freshEvaluation)).isEqualTo("192.0.2.1");
        assertThat(address("risk_signal", freshSignal)).isEqualTo("192.0.2.1");

        // nothing is left to do
        assertThat(retention.sweep()).isZero();
    }

    private UUID evaluation(String tenant, Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO risk_evaluation (id, tenant_id, user_id, evaluated_at, ip_address, user_agent,"
                        + " failed_attempts, risk_score, risk_level, recommendation) VALUES (?, ?, 'u', ?,"
                        + " '192.0.2.1', 'agent', 0, 10, 'low', 'allow')",
                id, tenant, Timestamp.from(at));
        jdbc.update("INSERT INTO risk_evaluation_factor (evaluation_id, ordinal, name, score, reason)"
                + " VALUES (?, 0, 'unidentified_device', 10, 'seeded')", id);
        return id;
    }

    private UUID signal(String tenant, Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO risk_signal (id, tenant_id, user_id, signal_type, severity, ip_address,"
                + " reported_by, recorded_at) VALUES (?, ?, 'u', 'brute_force', 'low', '192.0.2.1', 'test', ?)",
                id, tenant, Timestamp.from(at));
        return id;
    }

    private long count(String table, UUID id) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE id = ?", Long.class, id);
    }

    private String address(String table, UUID id) {
        return jdbc.queryForObject("SELECT ip_address FROM " + table + " WHERE id = ?", String.class, id);
    }
}
