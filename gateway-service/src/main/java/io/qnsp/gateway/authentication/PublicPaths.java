package io.qnsp.gateway.authentication;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;

/**
 * The paths anyone may call: the gateway's own endpoints ({@link io.qnsp.gateway.web.PublicPaths}: health, actuator,
 * API documentation), always, and the services' paths that authenticate their callers themselves
 * ({@code qnsp.gateway.public-paths}). A bean, so that the limit on requests without credentials covers exactly the
 * paths authentication lets through.
 */
public final class PublicPaths {

    private final List<PathPattern> patterns;

    PublicPaths(List<String> patterns) {
        this.patterns = patterns.stream().map(PublicPaths::parse).toList();
    }

    private static PathPattern parse(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("qnsp.gateway.public-paths: a pattern must start with '/': " + pattern);
        }
        return PathPatternParser.defaultInstance.parse(pattern);
    }

    /** Whether the request needs no credentials at the gateway. */
    public boolean matches(ServerHttpRequest request) {
        return matches(request.getPath().pathWithinApplication());
    }

    /** Whether a path (a request's, or a documented path template) needs no credentials at the gateway. */
    public boolean matches(String path) {
        try {
            return matches(PathContainer.parsePath(path));
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private boolean matches(PathContainer path) {
        if (io.qnsp.gateway.web.PublicPaths.matches(path)) {
            return true;
        }
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
