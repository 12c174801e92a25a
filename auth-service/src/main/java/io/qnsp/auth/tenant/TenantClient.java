package io.qnsp.auth.tenant;

import java.time.Instant;
import java.util.List;

/** An OAuth client acting for a tenant, with the platform roles its tokens carry. */
public record TenantClient(String clientId, String tenantId, String name, List<String> scopes, List<String> roles,
                           Instant createdAt) {
}
