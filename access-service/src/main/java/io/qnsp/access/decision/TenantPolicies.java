package io.qnsp.access.decision;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.qnsp.access.policy.GrantRules;
import io.qnsp.access.policy.Policies;
import io.qnsp.access.policy.Policy;
import io.qnsp.access.policy.PolicyVersions;
import io.qnsp.access.policy.Rule;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Each tenant's rules (policies and active JIT grants), kept in memory so a check costs no database round trip.
 * Before using its copy an instance reads the tenant's published version from Redis (one round trip); a copy older
 * than the published version, or older than {@code cache-max-age}, or any copy while Redis cannot be read, is
 * reloaded from the database in one consistent read.
 */
@Component
public class TenantPolicies {

    /** A tenant's rules as of one version. */
    public record Snapshot(long version, List<Rule> rules, Instant loadedAt) {
    }

    private final Policies policies;
    private final PolicyVersions versions;
    private final ObjectProvider<GrantRules> grants;
    private final TransactionTemplate consistentRead;
    private final Clock clock;
    private final Cache<String, Snapshot> cache;

    TenantPolicies(Policies policies, PolicyVersions versions, ObjectProvider<GrantRules> grants,
                   PlatformTransactionManager transactions, Clock clock, DecisionSettings settings) {
        this.policies = policies;
        this.versions = versions;
        this.grants = grants;
        this.clock = clock;
        this.consistentRead = new TransactionTemplate(transactions);
        consistentRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        consistentRead.setReadOnly(true);
        this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(settings.cacheMaxAge()).build();
    }

    /** The tenant's current rules. */
    public Snapshot current(String tenantId) {
        Long published = versions.published(tenantId);
        Snapshot cached = cache.getIfPresent(tenantId);
        if (cached != null && published != null && published <= cached.version()) {
            return cached;
        }
        Snapshot loaded = load(tenantId);
        cache.put(tenantId, loaded);
        if (published == null || published < loaded.version()) {
            // Redis lost or never had it: publish what the database says, so the next check can trust the copy
            versions.publish(tenantId, loaded.version());
        }
        return loaded;
    }

    /** The tenant's rules read from the database now, bypassing every cache (impact analysis wants them exact). */
    public Snapshot load(String tenantId) {
        return consistentRead.execute(status -> {
            Instant now = clock.instant();
            long version = versions.stored(tenantId);
            List<Rule> rules = new ArrayList<>();
            for (Policy policy : policies.all(tenantId)) {
                rules.add(policy.rule());
            }
            GrantRules grantRules = grants.getIfAvailable();
            if (grantRules != null) {
                rules.addAll(grantRules.activeRules(tenantId, now));
            }
            return new Snapshot(version, List.copyOf(rules), now);
        });
    }
}
