package io.qnsp.tenant.isolation;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.tenant.SelfAddress;
import io.qnsp.tenant.health.HealthSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The checks of an isolation audit, per category. Each check reads real data: this service's tables, its own API
 * over HTTP with the auditing caller's token, the gateway's request log, the quota counters in Redis.
 */
@Component
class IsolationAuditor {

    private static final Logger log = LoggerFactory.getLogger(IsolationAuditor.class);

    /** The tables of this service that hold tenant data. */
    static final List<String> TENANT_TABLES = List.of("logged_request", "health_snapshot", "quota_usage_sample",
            "onboarding_workflow", "isolation_audit");

    private final JdbcClient jdbc;
    private final HealthSnapshots snapshots;
    private final IsolationAudits audits;
    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final SelfAddress self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    IsolationAuditor(JdbcClient jdbc, HealthSnapshots snapshots, IsolationAudits audits, StringRedisTemplate redis,
                     RedisKeys keys, SelfAddress self) {
        this.jdbc = jdbc;
        this.snapshots = snapshots;
        this.audits = audits;
        this.redis = redis;
        this.keys = keys;
        this.self = self;
    }

    /** How many items of other tenants a check samples, by depth. */
    static int sampleSize(String depth) {
        return switch (depth) {
            case "quick" -> 1;
            case "comprehensive" -> 100;
            default -> 10;
        };
    }

    /** Every row of every tenant table carries a tenant, and the service's reads never return another's rows. */
    List<IsolationCheck> data(String tenantId, int sample) {
        List<IsolationCheck> checks = new ArrayList<>();
        for (String table : TENANT_TABLES) {
            long unattributed = jdbc.sql("SELECT count(*) FROM " + table + " WHERE tenant_id IS NULL "
                    + "OR btrim(tenant_id) = ''").query(Long.class).single();
            long total = jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
            String name = "every row of " + table + " belongs to a tenant";
            checks.add(unattributed == 0
                    ? IsolationCheck.passed("data", name, (int) Math.min(Integer.MAX_VALUE, total),
                    total + " rows, each with a tenant")
                    : IsolationCheck.failed("data", name, (int) Math.min(Integer.MAX_VALUE, total),
                    unattributed + " rows without a tenant"));
        }
        List<UUID> otherSnapshots = snapshots.idsOfOtherTenants(tenantId, sample);
        long leakedSnapshots = otherSnapshots.stream().filter(id -> snapshots.find(tenantId, id).isPresent()).count();
        long foreignInHistory = snapshots.between(tenantId, java.time.Instant.EPOCH,
                        java.time.Instant.parse("9999-01-01T00:00:00Z")).stream()
                .filter(s -> !s.tenantId().equals(tenantId)).count();
        checks.add(leakedSnapshots == 0 && foreignInHistory == 0
                ? IsolationCheck.passed("data", "health_snapshot read for this tenant returns none of another's",
                otherSnapshots.size(), otherSnapshots.size() + " other tenants' snapshots looked up, none found; "
                        + "the tenant's snapshot history holds only its own")
                : IsolationCheck.failed("data", "health_snapshot read for this tenant returns none of another's",
                otherSnapshots.size(), (leakedSnapshots + foreignInHistory) + " other tenants' snapshots returned"));
        List<String> otherAudits = audits.idsOfOtherTenants(tenantId, sample);
        long leakedAudits = otherAudits.stream().filter(id -> audits.find(tenantId, id).isPresent()).count();
        checks.add(leakedAudits == 0
                ? IsolationCheck.passed("data", "isolation_audit read for this tenant returns none of another's",
                otherAudits.size(), otherAudits.size() + " other tenants' audits looked up, none found")
                : IsolationCheck.failed("data", "isolation_audit read for this tenant returns none of another's",
                otherAudits.size(), leakedAudits + " other tenants' audits returned"));
        List<String> otherWorkflows = jdbc.sql("SELECT workflow_id FROM onboarding_workflow WHERE tenant_id <> :tenant "
                        + "ORDER BY created_at DESC LIMIT :limit")
                .param("tenant", tenantId).param("limit", sample).query(String.class).list();
        long leakedWorkflows = otherWorkflows.stream().filter(id -> jdbc.sql("SELECT count(*) FROM "
                        + "onboarding_workflow WHERE tenant_id = :tenant AND workflow_id = :id")
                .param("tenant", tenantId).param("id", id).query(Long.class).single() > 0).count();
        checks.add(leakedWorkflows == 0
                ? IsolationCheck.passed("data", "onboarding_workflow read for this tenant returns none of another's",
                otherWorkflows.size(), otherWorkflows.size() + " other tenants' workflows looked up, none found")
                : IsolationCheck.failed("data", "onboarding_workflow read for this tenant returns none of another's",
                otherWorkflows.size(), leakedWorkflows + " other tenants' workflows returned"));
        return checks;
    }

    /**
     * The auditing caller's own token, sent to this service's API for other tenants' resources, is refused (404);
     * for the tenant's own audit it is accepted, so a refusal is not a broken token.
     */
    List<IsolationCheck> identity(String tenantId, String auditId, String bearerToken, int sample) {
        List<IsolationCheck> checks = new ArrayList<>();
        String name = "this tenant's token is refused on other tenants' resources";
        try {
            int own = status("/tenant/v1/isolation/audits/" + auditId, bearerToken);
            if (own != 200) {
                checks.add(IsolationCheck.inconclusive("identity", name,
                        "the token was not accepted on the tenant's own audit (" + own + ")"));
                return checks;
            }
            List<String> others = new ArrayList<>();
            audits.idsOfOtherTenants(tenantId, sample).forEach(id -> others.add("/tenant/v1/isolation/audits/" + id));
            jdbc.sql("SELECT workflow_id FROM onboarding_workflow WHERE tenant_id <> :tenant ORDER BY created_at DESC "
                            + "LIMIT :limit").param("tenant", tenantId).param("limit", sample).query(String.class)
                    .list().forEach(id -> others.add("/tenant/v1/onboarding/workflows/" + id));
            List<String> served = new ArrayList<>();
            for (String path : others) {
                int status = status(path, bearerToken);
                if (status != 404 && status != 403) {
                    served.add(path + " answered " + status);
                }
            }
            checks.add(served.isEmpty()
                    ? IsolationCheck.passed("identity", name, others.size(), others.size()
                    + " other tenants' audits and workflows requested with this tenant's token, every one refused")
                    : IsolationCheck.failed("identity", name, others.size(), String.join("; ", served)));
        } catch (IOException | RuntimeException e) {
            log.warn("Identity check of tenant {} could not run: {}", tenantId, e.toString());
            checks.add(IsolationCheck.inconclusive("identity", name, "the service's API could not be called"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checks.add(IsolationCheck.inconclusive("identity", name, "interrupted"));
        }
        return checks;
    }

    /** No API key that authenticated this tenant's requests at the gateway authenticated another tenant's. */
    List<IsolationCheck> network(String tenantId) {
        List<String> keyIds = jdbc.sql("SELECT DISTINCT key_id FROM logged_request WHERE tenant_id = :tenant "
                + "AND key_id IS NOT NULL").param("tenant", tenantId).query(String.class).list();
        List<String> shared = keyIds.isEmpty() ? List.of() : jdbc.sql("SELECT DISTINCT key_id FROM logged_request "
                        + "WHERE tenant_id <> :tenant AND key_id IN (:keys)")
                .param("tenant", tenantId).param("keys", keyIds).query(String.class).list();
        String name = "API keys seen at the gateway for this tenant serve no other tenant";
        return List.of(shared.isEmpty()
                ? IsolationCheck.passed("network", name, keyIds.size(), keyIds.size()
                + " API keys in the tenant's request log, none seen for another tenant")
                : IsolationCheck.failed("network", name, keyIds.size(), shared.size()
                + " API keys also authenticated another tenant's requests: " + shared));
    }

    /**
     * The tenant's quota counters are its own: every counter key under its name is one resource and one window, so
     * no other tenant's id extends this one's into a shared key space.
     */
    List<IsolationCheck> compute(String tenantId) {
        String prefix = keys.key("quota:" + tenantId + ":");
        int tested = 0;
        List<String> foreign = new ArrayList<>();
        try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(escape(prefix) + "*").count(500)
                .build())) {
            while (cursor.hasNext()) {
                String key = cursor.next();
                tested++;
                String rest = key.substring(prefix.length());
                if (rest.split(":", -1).length != 2) {
                    foreign.add(key);
                }
            }
        }
        String name = "quota counters under this tenant's name are its own";
        return List.of(foreign.isEmpty()
                ? IsolationCheck.passed("compute", name, tested, tested + " counter keys, each one resource and "
                + "window of this tenant")
                : IsolationCheck.failed("compute", name, tested, foreign.size()
                + " counter keys of another tenant share this tenant's key space"));
    }

    private int status(String path, String bearerToken) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(self.baseUri() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + bearerToken).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String escape(String pattern) {
        return pattern.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
