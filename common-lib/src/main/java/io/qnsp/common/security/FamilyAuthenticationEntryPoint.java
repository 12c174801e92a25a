package io.qnsp.common.security;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.error.ErrorResponseWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers 401 in the family's format, with the {@code WWW-Authenticate} challenge Spring Security's bearer entry
 * point computes (RFC 6750).
 */
final class FamilyAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
    private final ErrorResponseWriter writer;

    FamilyAuthenticationEntryPoint(ErrorResponseWriter writer) {
        this.writer = writer;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) {
        challenge.commence(request, response, failure);
        ApiError error = switch (failure) {
            case OAuth2AuthenticationException e -> ApiError.of(HttpStatus.UNAUTHORIZED, ErrorCodes.INVALID_TOKEN,
                    "The access token is invalid or expired");
            case AdminTokenAuthenticationFilter.InvalidAdminToken e -> ApiError.of(HttpStatus.UNAUTHORIZED,
                    ErrorCodes.INVALID_TOKEN, "The admin token is invalid");
            default -> ApiError.of(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED, "Authentication is required");
        };
        writer.write(request, response, error);
    }
}
