package io.qnsp.auth.apikey;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.Optional;

/** The stored API keys. Every caller-facing lookup names the tenant; only verification looks up by hash alone. */
interface ApiKeys extends JpaRepository<ApiKey, String> {

    Optional<ApiKey> findByIdAndTenantId(String id, String tenantId);

    /** The key, locked until the transaction ends, so concurrent changes of one key take turns. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select k from ApiKey k where k.id = :id and k.tenantId = :tenantId")
    Optional<ApiKey> findForUpdate(@Param("id") String id, @Param("tenantId") String tenantId);

    Optional<ApiKey> findByKeyHash(byte[] keyHash);
}
