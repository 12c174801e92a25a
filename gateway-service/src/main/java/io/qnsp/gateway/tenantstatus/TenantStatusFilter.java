package io.qnsp.gateway.tenantstatus;

import io.qnsp.common.error.ApiError;
import io.qnsp.gateway.authentication.AuthenticatedCaller;
import io.qnsp.gateway.authentication.AuthenticationFilter;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses the calls of a tenant whose billing status is {@code suspended} or {@code cancelled} with 403
 * {@code TENANT_SUSPENDED} in the path's error family, from what {@link TenantStatuses} holds in memory: no call to
 * Redis or to any service on the request's path. Calls without a tenant (public paths, a JWT without one) pass, and
 * so do the operator tenant's and those on the exempt paths (see {@link SuspensionScope}).
 */
public final class TenantStatusFilter implements GlobalFilter, Ordered {

    /**
     * After authentication, which names the caller's tenant; before the rate limiter
     * ({@link io.qnsp.gateway.ratelimit.RateLimitFilter#ORDER}), so that a refused call is not charged.
     */
    public static final int ORDER = AuthenticationFilter.ORDER + 50;

    /** The canonical code; the QNSP and DataHub families spell it {@code TENANT_SUSPENDED}. */
    public static final String CODE = "tenant_suspended";

    private final TenantStatuses statuses;
    private final SuspensionScope scope;
    private final GatewayErrors errors;

    TenantStatusFilter(TenantStatuses statuses, SuspensionScope scope, GatewayErrors errors) {
        this.statuses = statuses;
        this.scope = scope;
        this.errors = errors;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        AuthenticatedCaller caller = AuthenticatedCaller.of(exchange);
        if (caller == null || caller.tenantId() == null || scope.exemptTenant(caller.tenantId())) {
            return chain.filter(exchange);
        }
        TenantStatus status = statuses.refusing(caller.tenantId());
        if (status == null || !scope.applies(exchange.getRequest().getPath().pathWithinApplication())) {
            return chain.filter(exchange);
        }
        return errors.write(exchange, refusal(caller.tenantId(), status));
    }

    static ApiError refusal(String tenantId, TenantStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tenantId", tenantId);
        details.put("status", status.status());
        if (status.since() != null) {
            details.put("since", status.since().toString());
        }
        String message = TenantStatus.CANCELLED.equals(status.status())
                ? "The tenant's account is cancelled for billing; its calls are refused"
                : "The tenant is suspended for billing; its calls are refused until its billing is settled";
        return new ApiError(HttpStatus.FORBIDDEN, CODE, message, details);
    }
}
