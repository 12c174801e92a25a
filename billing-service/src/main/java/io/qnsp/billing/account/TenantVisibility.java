package io.qnsp.billing.account;

import io.qnsp.billing.BillingScopes;
import io.qnsp.common.security.Caller;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * Which tenants a caller may see: its own, and every tenant for the platform operator (role platform_admin). Another
 * tenant answers 404 exactly like one billing never heard of.
 */
@Component
public class TenantVisibility {

    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

    private final Accounts accounts;

    TenantVisibility(Accounts accounts) {
        this.accounts = accounts;
    }

    public static boolean isOperator(@Nullable Caller caller) {
        return caller != null && caller.hasRole(BillingScopes.PLATFORM_ADMIN);
    }

    /** Whether the text can be a tenant id at all. */
    public static boolean isTenantId(@Nullable String tenantId) {
        return tenantId != null && TENANT_ID.matcher(tenantId).matches();
    }

    /**
     * Passes for the caller's own tenant, and for the operator when billing has an account for the tenant.
     *
     * @throws AccountNotFound otherwise
     */
    public void requireVisible(@Nullable Caller caller, String tenantId) {
        if (!isTenantId(tenantId) || caller == null) {
            throw new AccountNotFound();
        }
        if (tenantId.equals(caller.tenantId())) {
            return;
        }
        if (!isOperator(caller) || accounts.find(tenantId).isEmpty()) {
            throw new AccountNotFound();
        }
    }

    /** Passes for the caller's own tenant and, whether billing knows the tenant or not, for the operator. */
    public void requireActingFor(@Nullable Caller caller, String tenantId) {
        if (caller == null || !isTenantId(tenantId) || !(tenantId.equals(caller.tenantId()) || isOperator(caller))) {
            throw new AccountNotFound();
        }
    }
}
