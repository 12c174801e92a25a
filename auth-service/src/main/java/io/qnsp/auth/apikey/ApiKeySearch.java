package io.qnsp.auth.apikey;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Nulls;
import jakarta.persistence.criteria.Order;
import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lists a tenant's keys by an {@link ApiKeyQuery}. Status filters and sorts use the status a key has now (a key past
 * its {@code expiresAt} is {@code expired}); keys never used or never expiring sort last in either direction.
 */
@Component
class ApiKeySearch {

    /** One page of keys and the number of keys matching in all. */
    record Found(List<ApiKey> keys, long total) {
    }

    private final EntityManager entityManager;

    ApiKeySearch(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    Found find(String tenantId, ApiKeyQuery query, Instant now) {
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();

        CriteriaQuery<Long> count = cb.createQuery(Long.class);
        Root<ApiKey> counted = count.from(ApiKey.class);
        count.select(cb.count(counted)).where(filters(cb, counted, tenantId, query, now));
        long total = entityManager.createQuery(count).getSingleResult();
        if (total == 0) {
            return new Found(List.of(), 0);
        }

        CriteriaQuery<ApiKey> select = cb.createQuery(ApiKey.class);
        Root<ApiKey> key = select.from(ApiKey.class);
        select.select(key).where(filters(cb, key, tenantId, query, now)).orderBy(order(cb, key, query, now));
        List<ApiKey> keys = entityManager.createQuery(select)
                .setFirstResult((query.page() - 1) * query.pageSize())
                .setMaxResults(query.pageSize())
                .getResultList();
        return new Found(keys, total);
    }

    private static Predicate[] filters(CriteriaBuilder cb, Root<ApiKey> key, String tenantId, ApiKeyQuery query,
                                       Instant now) {
        List<Predicate> predicates = new ArrayList<>();
        predicates.add(cb.equal(key.get("tenantId"), tenantId));
        if (query.status() != null) {
            predicates.add(cb.equal(effectiveStatus(cb, key, now), query.status().value()));
        }
        if (query.search() != null) {
            String pattern = "%" + escapeLike(query.search().toLowerCase(Locale.ROOT)) + "%";
            predicates.add(cb.or(
                    cb.like(cb.lower(key.get("name")), pattern, '\\'),
                    cb.like(cb.lower(cb.coalesce(key.<String>get("description"), "")), pattern, '\\')));
        }
        return predicates.toArray(Predicate[]::new);
    }

    private static List<Order> order(CriteriaBuilder cb, Root<ApiKey> key, ApiKeyQuery query, Instant now) {
        boolean asc = query.ascending();
        List<Order> orders = new ArrayList<>();
        switch (query.sortBy()) {
            case CREATED_AT -> orders.add(direction(cb, key.get("createdAt"), asc));
            case NAME -> {
                orders.add(direction(cb, cb.lower(key.get("name")), asc));
                orders.add(direction(cb, key.get("name"), asc));
            }
            case LAST_USED_AT -> orders.add(asc ? cb.asc(key.get("lastUsedAt"), Nulls.LAST)
                    : cb.desc(key.get("lastUsedAt"), Nulls.LAST));
            case EXPIRES_AT -> orders.add(asc ? cb.asc(key.get("expiresAt"), Nulls.LAST)
                    : cb.desc(key.get("expiresAt"), Nulls.LAST));
            case STATUS -> orders.add(direction(cb, effectiveStatus(cb, key, now), asc));
        }
        // ids begin with their creation time, so equal sort values keep creation order
        orders.add(direction(cb, key.get("id"), asc));
        return orders;
    }

    private static Order direction(CriteriaBuilder cb, Expression<?> expression, boolean asc) {
        return asc ? cb.asc(expression) : cb.desc(expression);
    }

    /** The status column as the API reports it: {@code expired} once {@code expiresAt} has passed. */
    private static Expression<String> effectiveStatus(CriteriaBuilder cb, Root<ApiKey> key, Instant now) {
        Path<Object> status = key.get("status");
        Path<Instant> expiresAt = key.get("expiresAt");
        return cb.<String>selectCase()
                .when(cb.equal(status, ApiKeyStatus.REVOKED), ApiKeyStatus.REVOKED.value())
                .when(cb.and(cb.isNotNull(expiresAt), cb.lessThanOrEqualTo(expiresAt, now)),
                        ApiKeyStatus.EXPIRED.value())
                .when(cb.equal(status, ApiKeyStatus.DEPRECATED), ApiKeyStatus.DEPRECATED.value())
                .otherwise(ApiKeyStatus.ACTIVE.value());
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
