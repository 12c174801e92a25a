package io.qnsp.auth.risk;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The stored threat signals; every query names the tenant. */
interface ThreatSignals extends JpaRepository<ThreatSignal, UUID> {

    List<ThreatSignal> findByTenantIdAndUserIdAndRecordedAtGreaterThanEqualOrderByRecordedAtDescIdDesc(
            String tenantId, String userId, Instant since, Limit limit);

    long countByTenantIdAndUserIdAndRecordedAtGreaterThanEqual(String tenantId, String userId, Instant since);

    @Modifying
    @Query(value = "DELETE FROM risk_signal WHERE id IN"
            + " (SELECT id FROM risk_signal WHERE recorded_at < :before LIMIT :batch)", nativeQuery = true)
    int deleteBatchRecordedBefore(@Param("before") Instant before, @Param("batch") int batch);

    @Modifying
    @Query(value = "UPDATE risk_signal SET ip_address = NULL WHERE id IN (SELECT id FROM risk_signal"
            + " WHERE ip_address IS NOT NULL AND recorded_at < :before LIMIT :batch)", nativeQuery = true)
    int eraseBatchIpAddressesBefore(@Param("before") Instant before, @Param("batch") int batch);
}
