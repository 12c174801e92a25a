package io.qnsp.auth.token;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The platform's clients use client credentials. A request for an authorization code by a client that is not
 * registered for the code flow, or has no redirect URI, is refused here as {@code unauthorized_client} (400, RFC 6749
 * §4.1.2.1 without a redirect, since there is no registered URI to send it to). The authorization server's own
 * checks would end in a server error for a client without redirect URIs.
 */
final class CodeFlowGuard extends OncePerRequestFilter {

    private static final OAuth2ErrorHttpMessageConverter OAUTH2_ERRORS = new OAuth2ErrorHttpMessageConverter();

    private final RequestMatcher authorizationEndpoint;
    private final RegisteredClientRepository clients;

    CodeFlowGuard(RequestMatcher authorizationEndpoint, RegisteredClientRepository clients) {
        this.authorizationEndpoint = authorizationEndpoint;
        this.clients = clients;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (authorizationEndpoint.matches(request)) {
            String clientId = request.getParameter("client_id");
            RegisteredClient client = clientId == null || clientId.isBlank() ? null : clients.findByClientId(clientId);
            if (client != null && (client.getRedirectUris().isEmpty()
                    || !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE))) {
                ServletServerHttpResponse out = new ServletServerHttpResponse(response);
                out.setStatusCode(HttpStatus.BAD_REQUEST);
                OAUTH2_ERRORS.write(new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                        "This client may not use the authorization code flow.", null), null, out);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
