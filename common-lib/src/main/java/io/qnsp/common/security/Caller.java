package io.qnsp.common.security;

import java.util.Map;
import java.util.Set;

/**
 * The authenticated caller of the current request, as carried by its JWT (or the admin token).
 *
 * @param tenantId  the caller's tenant; {@code null} for a platform operator authenticated by admin token
 * @param principal the subject: a user id, a client id, an API key id, or {@code admin-token}
 * @param scopes    granted OAuth2 scopes
 * @param roles     platform roles, e.g. {@code admin}
 * @param addOns    the tenant's add-ons, e.g. {@code byohsm}
 * @param plan      the tenant's plan, may be {@code null}
 * @param quotas    the tenant's own quota limits by resource, overriding its plan's
 */
public record Caller(String tenantId, String principal, Set<String> scopes, Set<String> roles, Set<String> addOns,
                     String plan, Map<String, Long> quotas) {

    public static final String ADMIN_ROLE = "admin";
    /** The scope that stands for every scope (DataHub's "scope X or admin"); unlike the role, it is no admin role. */
    public static final String ADMIN_SCOPE = "admin";

    public Caller {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        addOns = addOns == null ? Set.of() : Set.copyOf(addOns);
        quotas = quotas == null ? Map.of() : Map.copyOf(quotas);
    }

    /** A caller whose tenant has no quota overrides. */
    public Caller(String tenantId, String principal, Set<String> scopes, Set<String> roles, Set<String> addOns,
                  String plan) {
        this(tenantId, principal, scopes, roles, addOns, plan, Map.of());
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean hasAddOn(String addOn) {
        return addOns.contains(addOn);
    }

    public boolean isAdmin() {
        return hasRole(ADMIN_ROLE);
    }

    /** Whether any scope requirement is met by this caller: by the admin role or the {@code admin} scope. */
    public boolean holdsEveryScope() {
        return isAdmin() || hasScope(ADMIN_SCOPE);
    }
}
