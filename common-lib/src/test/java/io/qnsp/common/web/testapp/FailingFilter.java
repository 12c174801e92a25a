package io.qnsp.common.web.testapp;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/** A servlet filter failing outside Spring MVC, as third-party filters do, so the error page must answer. */
@Component
class FailingFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/probe/filter-");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        if (request.getRequestURI().equals("/probe/filter-exception")) {
            throw new IllegalStateException("filter broke with secret=abc123");
        }
        response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "internal backend db-7 is down");
    }
}
