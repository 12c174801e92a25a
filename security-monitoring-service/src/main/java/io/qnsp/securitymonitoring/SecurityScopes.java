package io.qnsp.securitymonitoring;

/** The OAuth2 scopes of the security monitoring API; a caller with the admin role holds every scope. */
public final class SecurityScopes {

    /** Run analyses, simulations and compliance assessments (they read the platform, change nothing). */
    public static final String READ = "security:read";
    /** Create playbooks and compliance controls, execute playbooks. */
    public static final String WRITE = "security:write";

    private SecurityScopes() {
    }
}
