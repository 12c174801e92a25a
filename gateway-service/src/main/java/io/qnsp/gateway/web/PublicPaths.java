package io.qnsp.gateway.web;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;

/**
 * The gateway's own endpoints, open without credentials and not API traffic: health probes, actuator, the Swagger
 * UI and the OpenAPI documents it shows, and the web console's static files. Authentication skips them and the request log leaves them out.
 */
public final class PublicPaths {

    /** The patterns, in {@link PathPattern} syntax. */
    public static final List<String> PATTERNS = List.of(
            "/health", "/health/ready", "/health/live", "/health/services",
            "/actuator/**",
            "/swagger-ui.html", "/swagger-ui/**", "/webjars/**",
            "/v3/api-docs", "/v3/api-docs/**",
            "/docs/*/v3/api-docs",
            "/dashboard", "/dashboard/**");

    private static final List<PathPattern> PARSED = PATTERNS.stream()
            .map(PathPatternParser.defaultInstance::parse)
            .toList();

    private PublicPaths() {
    }

    /** Whether a request path (within the application) is one of the gateway's own open endpoints. */
    public static boolean matches(String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        PathContainer container;
        try {
            container = PathContainer.parsePath(path);
        } catch (RuntimeException malformed) {
            return false;
        }
        return matches(container);
    }

    /** As {@link #matches(String)}, for a path already parsed, such as a request's. */
    public static boolean matches(PathContainer path) {
        for (PathPattern pattern : PARSED) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
