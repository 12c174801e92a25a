package io.qnsp.gateway.tenantstatus;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;

/**
 * Which calls a tenant's suspension applies to: every authenticated call, except the operator's own tenant's and
 * those on the exempt paths ({@code qnsp.gateway.tenant-status.exempt-paths}, billing-service's by default). Public
 * paths and the gateway's own endpoints are never authenticated, so never refused either.
 */
public final class SuspensionScope {

    private final String operatorTenantId;
    private final List<PathPattern> exemptPaths;

    SuspensionScope(TenantStatusProperties properties) {
        this.operatorTenantId = properties.operatorTenantId();
        this.exemptPaths = properties.exemptPaths().stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    /** Whether the tenant is exempt, being the platform operator's own. */
    boolean exemptTenant(String tenantId) {
        return operatorTenantId.equals(tenantId);
    }

    /** Whether a suspended tenant's call to this path (a request's, or a documented path template) is refused. */
    public boolean applies(String path) {
        PathContainer container;
        try {
            container = PathContainer.parsePath(path);
        } catch (RuntimeException malformed) {
            return true;
        }
        return applies(container);
    }

    boolean applies(PathContainer path) {
        for (PathPattern pattern : exemptPaths) {
            if (pattern.matches(path)) {
                return false;
            }
        }
        return true;
    }
}
