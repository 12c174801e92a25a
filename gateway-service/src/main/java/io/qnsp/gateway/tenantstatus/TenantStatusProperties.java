package io.qnsp.gateway.tenantstatus;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * How the gateway acts on tenants' billing statuses ({@code qnsp.gateway.tenant-status.*}), published by
 * billing-service on the {@code tenant-status} stream.
 *
 * @param enabled          whether the gateway reads the stream and refuses suspended and cancelled tenants' calls
 * @param operatorTenantId the platform operator's own tenant (auth-service's {@code qnsp.auth.bootstrap.tenant-id}),
 *                         never refused: the operator must be able to restore a tenant, its own included
 * @param exemptPaths      paths ({@code PathPattern} syntax) a suspended or cancelled tenant may still call; by
 *                         default billing-service's, so that it can see its invoices and pay. Setting the list
 *                         replaces it as a whole
 * @param blockTimeout     longest a read of new entries waits at Redis; shortened to half the Redis command timeout
 *                         ({@code qnsp.redis.command-timeout}), which a waiting read must not reach
 * @param batchSize        entries read per call
 * @param startupWait      how long start-up waits for the stream to be read up to its end before the gateway serves;
 *                         it waits no longer once Redis has failed to answer
 */
@ConfigurationProperties("qnsp.gateway.tenant-status")
public record TenantStatusProperties(@DefaultValue("true") boolean enabled,
                                     @DefaultValue("platform") String operatorTenantId,
                                     @DefaultValue("/billing/v1/**") List<String> exemptPaths,
                                     @DefaultValue("2s") Duration blockTimeout,
                                     @DefaultValue("500") int batchSize,
                                     @DefaultValue("5s") Duration startupWait) {

    public TenantStatusProperties {
        exemptPaths = exemptPaths == null ? List.of() : List.copyOf(exemptPaths);
        if (operatorTenantId == null || operatorTenantId.isBlank()) {
            throw new IllegalArgumentException("qnsp.gateway.tenant-status.operator-tenant-id must not be blank");
        }
        for (String path : exemptPaths) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("qnsp.gateway.tenant-status.exempt-paths: a pattern must start "
                        + "with '/': " + path);
            }
        }
        if (blockTimeout == null || blockTimeout.isZero() || blockTimeout.isNegative()) {
            throw new IllegalArgumentException("qnsp.gateway.tenant-status.block-timeout must be positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("qnsp.gateway.tenant-status.batch-size must be at least 1");
        }
        if (startupWait == null || startupWait.isNegative()) {
            throw new IllegalArgumentException("qnsp.gateway.tenant-status.startup-wait must not be negative");
        }
    }
}
