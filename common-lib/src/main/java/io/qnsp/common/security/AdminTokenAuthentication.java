package io.qnsp.common.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

import java.util.Set;

/** A platform operator authenticated by the admin token: no tenant, role admin. The token itself is not kept. */
final class AdminTokenAuthentication extends AbstractAuthenticationToken implements CallerAuthentication {

    static final String PRINCIPAL = "admin-token";

    private final transient Caller caller = new Caller(null, PRINCIPAL, Set.of(), Set.of(Caller.ADMIN_ROLE), Set.of(),
            null);

    AdminTokenAuthentication() {
        super(AuthorityUtils.createAuthorityList("ROLE_" + Caller.ADMIN_ROLE));
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return PRINCIPAL;
    }

    @Override
    public Caller caller() {
        return caller;
    }
}
