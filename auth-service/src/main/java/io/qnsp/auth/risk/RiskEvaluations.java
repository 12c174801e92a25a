package io.qnsp.auth.risk;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored evaluations; every query names the tenant. */
interface RiskEvaluations extends JpaRepository<RiskEvaluation, UUID> {

    String ALLOWED = "allow";
    String DENIED = "deny";

    boolean existsByTenantIdAndUserIdAndRecommendation(String tenantId, String userId, String recommendation);

    boolean existsByTenantIdAndUserIdAndRecommendationAndDeviceHash(String tenantId, String userId,
                                                                    String recommendation, String deviceHash);

    boolean existsByTenantIdAndUserIdAndRecommendationAndCountryIsNotNull(String tenantId, String userId,
                                                                          String recommendation);

    boolean existsByTenantIdAndUserIdAndRecommendationAndCountry(String tenantId, String userId,
                                                                 String recommendation, String country);

    @Query("select count(e) > 0 from RiskEvaluation e where e.tenantId = :tenant and e.userId = :user"
            + " and e.recommendation = 'allow' and e.country = :country and lower(e.city) = lower(:city)")
    boolean cityAllowedBefore(@Param("tenant") String tenantId, @Param("user") String userId,
                              @Param("country") String country, @Param("city") String city);

    Optional<RiskEvaluation> findFirstByTenantIdAndUserIdAndRecommendationAndLatitudeIsNotNullOrderByEvaluatedAtDesc(
            String tenantId, String userId, String recommendation);

    long countByTenantIdAndUserIdAndRecommendationAndEvaluatedAtAfter(String tenantId, String userId,
                                                                      String recommendation, Instant after);

    /** Rows of (risk level, recommendation, count) for the tenant's evaluations since the instant. */
    @Query("select e.riskLevel, e.recommendation, count(e) from RiskEvaluation e"
            + " where e.tenantId = :tenant and e.evaluatedAt >= :since group by e.riskLevel, e.recommendation")
    List<Object[]> countOutcomes(@Param("tenant") String tenantId, @Param("since") Instant since);

    /** Rows of (factor name, evaluations naming it), most frequent first. */
    @Query("select f.name, count(e) from RiskEvaluation e join e.factors f"
            + " where e.tenantId = :tenant and e.evaluatedAt >= :since group by f.name order by count(e) desc, f.name")
    List<Object[]> countFactors(@Param("tenant") String tenantId, @Param("since") Instant since, Pageable top);

    @Modifying
    @Query(value = "DELETE FROM risk_evaluation WHERE id IN"
            + " (SELECT id FROM risk_evaluation WHERE evaluated_at < :before LIMIT :batch)", nativeQuery = true)
    int deleteBatchEvaluatedBefore(@Param("before") Instant before, @Param("batch") int batch);

    @Modifying
    @Query(value = "UPDATE risk_evaluation SET ip_address = NULL WHERE id IN (SELECT id FROM risk_evaluation"
            + " WHERE ip_address IS NOT NULL AND evaluated_at < :before LIMIT :batch)", nativeQuery = true)
    int eraseBatchIpAddressesBefore(@Param("before") Instant before, @Param("batch") int batch);
}
