package io.qnsp.access.policy;

import java.time.Instant;
import java.util.List;

/** The rules that temporary grants (JIT access) add to a tenant's policies while they last. */
public interface GrantRules {

    /** The allow rules of the tenant's grants not revoked and not expired at the moment given, each with its expiry. */
    List<Rule> activeRules(String tenantId, Instant at);
}
