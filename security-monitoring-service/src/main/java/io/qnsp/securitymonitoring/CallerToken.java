package io.qnsp.securitymonitoring;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * The caller's own bearer token, relayed to the services a request reads or acts through: each of them scopes the
 * call to the token's tenant and checks the token's own scopes, so this service never reaches further than its caller.
 */
public final class CallerToken {

    private CallerToken() {
    }

    public static String current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
            return token.getToken().getTokenValue();
        }
        throw new IllegalStateException("the request is not authenticated by a bearer token");
    }
}
