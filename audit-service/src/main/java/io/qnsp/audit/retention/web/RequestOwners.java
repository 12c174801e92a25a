package io.qnsp.audit.retention.web;

import io.qnsp.audit.retention.RetentionOwner;
import io.qnsp.common.security.Caller;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/** Which owner the current request acts as: its caller's tenant, or the platform for the admin token. */
final class RequestOwners {

    // common-lib's principal name for the admin token
    private static final String ADMIN_TOKEN_PRINCIPAL = "admin-token";

    private RequestOwners() {
    }

    static RetentionOwner of(Caller caller) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        // a JWT is never the admin token, whatever its subject says
        boolean adminToken = authentication != null
                && !(authentication instanceof AbstractOAuth2TokenAuthenticationToken<?>)
                && ADMIN_TOKEN_PRINCIPAL.equals(authentication.getName())
                && caller != null && ADMIN_TOKEN_PRINCIPAL.equals(caller.principal());
        return RetentionOwner.of(caller, adminToken);
    }
}
