package io.qnsp.common.security;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Caller} of the request being served: from its JWT ({@code tenant_id}, {@code sub}, {@code scope} or
 * {@code scp}, {@code roles}, {@code addons}, {@code plan}) or from the admin token.
 */
public final class Callers {

    private Callers() {
    }

    /** The current caller, empty when the request is unauthenticated. */
    public static Optional<Caller> current() {
        return from(SecurityContextHolder.getContext().getAuthentication());
    }

    /** The caller an authentication stands for, empty for none or an anonymous one. */
    public static Optional<Caller> from(Authentication authentication) {
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        if (authentication instanceof CallerAuthentication callerAuthentication) {
            return Optional.of(callerAuthentication.caller());
        }
        if (authentication.getPrincipal() instanceof Caller caller) {
            return Optional.of(caller);
        }
        if (authentication.getPrincipal() instanceof Jwt jwt) {
            return Optional.of(fromJwt(jwt));
        }
        return Optional.empty();
    }

    /** Reads the platform's claims from a validated JWT. */
    public static Caller fromJwt(Jwt jwt) {
        Set<String> scopes = new LinkedHashSet<>(strings(jwt.getClaims().get("scope")));
        scopes.addAll(strings(jwt.getClaims().get("scp")));
        return new Caller(text(jwt.getClaims().get("tenant_id")), jwt.getSubject(), scopes,
                Set.copyOf(strings(jwt.getClaims().get("roles"))), Set.copyOf(strings(jwt.getClaims().get("addons"))),
                text(jwt.getClaims().get("plan")), limits(jwt.getClaims().get("quotas")));
    }

    /** A {@code quotas} claim: resource names to whole, non-negative limits; anything else in it is ignored. */
    private static Map<String, Long> limits(Object claim) {
        Map<String, Long> limits = new LinkedHashMap<>();
        if (claim instanceof Map<?, ?> map) {
            map.forEach((resource, limit) -> {
                if (resource != null && limit instanceof Number number && number.longValue() >= 0) {
                    limits.put(resource.toString(), number.longValue());
                }
            });
        }
        return limits;
    }

    private static String text(Object claim) {
        return claim == null ? null : claim.toString();
    }

    /** A list claim, or a space-separated string as OAuth2 writes {@code scope}. */
    private static Set<String> strings(Object claim) {
        Set<String> values = new LinkedHashSet<>();
        if (claim instanceof Collection<?> collection) {
            for (Object item : collection) {
                if (item != null && !item.toString().isBlank()) {
                    values.add(item.toString());
                }
            }
        } else if (claim instanceof String string) {
            for (String item : string.trim().split("\\s+")) {
                if (!item.isEmpty()) {
                    values.add(item);
                }
            }
        }
        return values;
    }
}
