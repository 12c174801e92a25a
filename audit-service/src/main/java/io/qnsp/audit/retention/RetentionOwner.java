package io.qnsp.audit.retention;

import io.qnsp.common.security.Caller;

/**
 * Whose policies, events and archives a call acts on: a tenant, or the platform operator (authenticated by the admin
 * token), whose policies cover the events of every tenant and those that belong to none.
 *
 * @param tenantId the tenant, {@code null} for the platform operator
 */
public record RetentionOwner(String tenantId) {

    private static final RetentionOwner PLATFORM = new RetentionOwner(null);

    /**
     * The owner a caller acts as. Only the admin token stands for the platform: a JWT that carries no tenant is
     * refused rather than trusted with every tenant's events.
     */
    public static RetentionOwner of(Caller caller, boolean adminToken) {
        if (caller != null && caller.tenantId() != null) {
            return new RetentionOwner(caller.tenantId());
        }
        if (caller != null && adminToken && caller.isAdmin()) {
            return PLATFORM;
        }
        throw new TenantRequired();
    }

    public boolean platform() {
        return tenantId == null;
    }
}
