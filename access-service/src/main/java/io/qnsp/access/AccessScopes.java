package io.qnsp.access;

/** The OAuth2 scopes of the access API; a caller with the admin role (or the {@code admin} scope) holds all of them. */
public final class AccessScopes {

    /**
     * Read policies, JIT policies, requests, grants and statistics; run simulations and impact analyses (they change
     * nothing and reveal no more than the policies themselves).
     */
    public static final String READ = "access:read";
    /** Create, replace and delete access policies and JIT policies. */
    public static final String WRITE = "access:write";
    /** Ask for run-time decisions: {@code POST /access/v1/check} and {@code POST /access/v1/jit/check}. */
    public static final String CHECK = "access:check";
    /** Ask for just-in-time access for oneself. */
    public static final String REQUEST = "access:request";
    /** Approve or deny JIT requests (with one of the JIT policy's approver roles) and revoke grants. */
    public static final String APPROVE = "access:approve";

    /** The role of the platform operator: only it sees the cross-tenant analysis. */
    public static final String PLATFORM_ADMIN = "platform_admin";

    private AccessScopes() {
    }
}
