package io.qnsp.auth.risk;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored risk policies; every query names the tenant. */
interface RiskPolicies extends JpaRepository<RiskPolicy, UUID> {

    Optional<RiskPolicy> findByIdAndTenantId(UUID id, String tenantId);

    List<RiskPolicy> findByTenantIdAndEnabledTrueOrderByCreatedAtAscIdAsc(String tenantId);

    boolean existsByTenantIdAndNameIgnoreCase(String tenantId, String name);

    boolean existsByTenantIdAndNameIgnoreCaseAndIdNot(String tenantId, String name, UUID id);

    long countByTenantId(String tenantId);
}
