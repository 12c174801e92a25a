package io.qnsp.ratelimit.apikey;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored API keys. Every operator-facing query is scoped by the owning tenant (null: platform operator). */
interface ApiKeys extends JpaRepository<ApiKey, UUID> {

    Optional<ApiKey> findByKeyHash(byte[] keyHash);

    List<ApiKey> findByKeyHashIn(List<byte[]> keyHashes);

    @Query("select k from ApiKey k where k.keyHash = :hash"
            + " and ((:tenant is null and k.ownerTenant is null) or k.ownerTenant = :tenant)")
    Optional<ApiKey> findOwnedByHash(@Param("hash") byte[] keyHash, @Param("tenant") String tenant);

    @Query("select k from ApiKey k where k.id = :id"
            + " and ((:tenant is null and k.ownerTenant is null) or k.ownerTenant = :tenant)")
    Optional<ApiKey> findOwnedById(@Param("id") UUID id, @Param("tenant") String tenant);

    @Query(value = "select k from ApiKey k"
            + " where (:tenant is null and k.ownerTenant is null) or k.ownerTenant = :tenant"
            + " order by k.createdAt, k.id",
            countQuery = "select count(k) from ApiKey k"
                    + " where (:tenant is null and k.ownerTenant is null) or k.ownerTenant = :tenant")
    Page<ApiKey> findOwned(@Param("tenant") String tenant, Pageable pageable);
}
