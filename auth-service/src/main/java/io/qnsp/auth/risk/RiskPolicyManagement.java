package io.qnsp.auth.risk;

import io.qnsp.common.security.TenantRequired;
import io.qnsp.common.security.Caller;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Creates, lists, replaces and deletes a tenant's risk policies; only the caller's tenant's are ever visible. */
@Service
public class RiskPolicyManagement {

    private final RiskPolicies policies;
    private final EntityManager entityManager;
    private final RiskSettings settings;
    private final Clock clock;

    RiskPolicyManagement(RiskPolicies policies, EntityManager entityManager, RiskSettings settings,
                         Optional<Clock> clock) {
        this.policies = policies;
        this.entityManager = entityManager;
        this.settings = settings;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Transactional
    public PolicyView create(Caller caller, PolicyDefinition definition) {
        String tenant = TenantRequired.tenantOf(caller);
        if (policies.countByTenantId(tenant) >= settings.maxPoliciesPerTenant()) {
            throw new PolicyLimitReached(settings.maxPoliciesPerTenant());
        }
        if (policies.existsByTenantIdAndNameIgnoreCase(tenant, definition.name())) {
            throw new PolicyNameTaken();
        }
        RiskPolicy policy = new RiskPolicy(UUID.randomUUID(), tenant, definition, now());
        return saved(policy).view();
    }

    @Transactional(readOnly = true)
    public PolicyPage list(Caller caller, int limit, int offset, Boolean enabled) {
        String tenant = TenantRequired.tenantOf(caller);
        String filter = " where p.tenantId = :tenant" + (enabled == null ? "" : " and p.enabled = :enabled");
        TypedQuery<RiskPolicy> page = entityManager.createQuery(
                "select p from RiskPolicy p" + filter + " order by p.createdAt, p.id", RiskPolicy.class);
        TypedQuery<Long> count = entityManager.createQuery("select count(p) from RiskPolicy p" + filter, Long.class);
        page.setParameter("tenant", tenant);
        count.setParameter("tenant", tenant);
        if (enabled != null) {
            page.setParameter("enabled", enabled);
            count.setParameter("enabled", enabled);
        }
        List<PolicyView> views = page.setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                .map(RiskPolicy::view).toList();
        return new PolicyPage(views, count.getSingleResult());
    }

    @Transactional(readOnly = true)
    public PolicyView find(Caller caller, UUID policyId) {
        return owned(caller, policyId).view();
    }

    @Transactional
    public PolicyView replace(Caller caller, UUID policyId, PolicyDefinition definition) {
        RiskPolicy policy = owned(caller, policyId);
        if (policies.existsByTenantIdAndNameIgnoreCaseAndIdNot(caller.tenantId(), definition.name(), policyId)) {
            throw new PolicyNameTaken();
        }
        policy.apply(definition, now());
        return saved(policy).view();
    }

    @Transactional
    public void delete(Caller caller, UUID policyId) {
        policies.delete(owned(caller, policyId));
    }

    /** The tenant's enabled policies, oldest first, as the scoring applies them. */
    @Transactional(readOnly = true)
    List<RiskScoring.Policy> enabledRules(String tenant) {
        return policies.findByTenantIdAndEnabledTrueOrderByCreatedAtAscIdAsc(tenant).stream()
                .map(RiskPolicy::rules).toList();
    }

    private RiskPolicy owned(Caller caller, UUID policyId) {
        String tenant = TenantRequired.tenantOf(caller);
        return policies.findByIdAndTenantId(policyId, tenant).orElseThrow(PolicyNotFound::new);
    }

    private RiskPolicy saved(RiskPolicy policy) {
        try {
            return policies.saveAndFlush(policy);
        } catch (DataIntegrityViolationException e) {
            // two requests raced past the name check; the unique index decided
            throw new PolicyNameTaken();
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
