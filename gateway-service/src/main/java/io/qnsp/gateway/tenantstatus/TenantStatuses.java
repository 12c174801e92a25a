package io.qnsp.gateway.tenantstatus;

import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest billing status of every tenant the {@code tenant-status} stream has named, in memory: written by the
 * {@link TenantStatusReader}, read by the {@link TenantStatusFilter} on every request without waiting for anything.
 * A tenant the stream never named is active.
 */
public final class TenantStatuses {

    private final Map<String, TenantStatus> latest = new ConcurrentHashMap<>();

    /** The tenant's status when it refuses the tenant's calls, else {@code null}. */
    public @Nullable TenantStatus refusing(String tenantId) {
        TenantStatus status = latest.get(tenantId);
        return status != null && status.refuses() ? status : null;
    }

    /** The tenant's latest known status, {@code null} when the stream never named it. */
    public @Nullable TenantStatus of(String tenantId) {
        return latest.get(tenantId);
    }

    /**
     * Takes a status read from the stream, unless the tenant's known status happened after it.
     *
     * @return the status the tenant has now
     */
    TenantStatus apply(String tenantId, TenantStatus status) {
        return latest.merge(tenantId, status, (known, read) -> read.supersedes(known) ? read : known);
    }

    /** How many tenants are refused now. */
    public long refusedCount() {
        return latest.values().stream().filter(TenantStatus::refuses).count();
    }
}
