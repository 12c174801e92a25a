package io.qnsp.auth.risk.web;

/** The OAuth2 scopes of the risk API; a caller with the admin role holds both. */
final class RiskScopes {

    /** Read policies, a user's signals and the stats. */
    static final String READ = "risk:read";
    /** Manage policies and report signals. */
    static final String WRITE = "risk:write";

    private RiskScopes() {
    }
}
