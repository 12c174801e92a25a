package io.qnsp.common.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Authenticates {@code X-Admin-Token} against {@code qnsp.security.admin-token}. A present but wrong token is answered
 * 401 at once, never passed on to other authentication. Digests are compared in constant time, so neither the
 * token's length nor its prefix leaks through timing; the token is never logged.
 */
final class AdminTokenAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Admin-Token";

    private final byte[] expectedDigest;
    private final AuthenticationEntryPoint entryPoint;
    private final SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();
    // kept on the request too, so an async dispatch (a stream, a deferred result) is still authenticated
    private final SecurityContextRepository requestContexts = new RequestAttributeSecurityContextRepository();

    AdminTokenAuthenticationFilter(String adminToken, AuthenticationEntryPoint entryPoint) {
        this.expectedDigest = sha256(adminToken);
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String offered = request.getHeader(HEADER);
        if (offered == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!MessageDigest.isEqual(sha256(offered), expectedDigest)) {
            contextHolder.clearContext();
            entryPoint.commence(request, response, new InvalidAdminToken());
            return;
        }
        SecurityContext context = contextHolder.createEmptyContext();
        context.setAuthentication(new AdminTokenAuthentication());
        contextHolder.setContext(context);
        requestContexts.saveContext(context, request, response);
        chain.doFilter(request, response);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The admin token offered is not the configured one. */
    static final class InvalidAdminToken extends BadCredentialsException {

        InvalidAdminToken() {
            super("The admin token is invalid");
        }
    }
}
