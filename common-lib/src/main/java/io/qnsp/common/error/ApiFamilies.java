package io.qnsp.common.error;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which API family answers a request: the family of the most specific matching pattern of
 * {@code qnsp.errors.path-families}, else the service's {@code qnsp.errors.family}. A service serving two APIs (e.g.
 * auth-service: {@code /auth/**} in the QNSP family, {@code /api/v1/**} in the DataHub family) answers each in its
 * own shape, on every path a failure can take (controller advice, error page, filters, security entry points).
 */
public final class ApiFamilies {

    private record Rule(PathPattern pattern, ErrorFamily family) {
    }

    private final ErrorFamily defaultFamily;
    private final List<Rule> rules;

    public ApiFamilies(ErrorFamily defaultFamily, Map<ErrorFamily, List<String>> pathFamilies) {
        if (defaultFamily == null) {
            throw new IllegalArgumentException("qnsp.errors.family must name a family");
        }
        this.defaultFamily = defaultFamily;
        List<Rule> parsed = new ArrayList<>();
        Map<ErrorFamily, List<String>> patterns = pathFamilies == null ? Map.of() : pathFamilies;
        patterns.forEach((family, list) -> {
            for (String pattern : list == null ? List.<String>of() : list) {
                parsed.add(new Rule(parse(pattern, family), family));
            }
        });
        parsed.sort(Comparator.comparing(Rule::pattern, PathPattern.SPECIFICITY_COMPARATOR));
        this.rules = List.copyOf(parsed);
    }

    public ApiFamilies(ErrorsProperties properties) {
        this(properties.family(), properties.pathFamilies());
    }

    private static PathPattern parse(String pattern, ErrorFamily family) {
        String name = "qnsp.errors.path-families." + family.name().toLowerCase(Locale.ROOT);
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException(name + ": a path pattern must start with '/': " + pattern);
        }
        try {
            return PathPatternParser.defaultInstance.parse(pattern);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": not a valid path pattern: " + pattern, e);
        }
    }

    /** The family of paths no pattern matches. */
    public ErrorFamily defaultFamily() {
        return defaultFamily;
    }

    /**
     * The family of a path within the application (without context path); the default for a path that cannot
     * be parsed, since even a malformed request must get an answer.
     */
    public ErrorFamily ofPath(String path) {
        if (rules.isEmpty() || path == null || path.isEmpty()) {
            return defaultFamily;
        }
        PathContainer container;
        try {
            container = PathContainer.parsePath(path);
        } catch (RuntimeException malformed) {
            return defaultFamily;
        }
        for (Rule rule : rules) {
            if (rule.pattern().matches(container)) {
                return rule.family();
            }
        }
        return defaultFamily;
    }
}
