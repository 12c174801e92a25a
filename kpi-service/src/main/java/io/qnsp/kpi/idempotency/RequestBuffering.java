package io.qnsp.kpi.idempotency;

import io.qnsp.common.web.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;

/**
 * For a request carrying {@code X-Request-Id}: reads its body up front (for the fingerprint) and keeps a copy of
 * the answer (to store it), both for {@link IdempotentReplies}. Registered after Spring Security, so nothing is
 * buffered for a caller who is not authenticated.
 */
class RequestBuffering extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(RequestIds.HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(new BufferedRequest(request), answer);
        } finally {
            answer.copyBodyToResponse();
        }
    }
}
