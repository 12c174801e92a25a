package io.qnsp.securitymonitoring.surface;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One operation the gateway exposes, as its OpenAPI document for the service describes it.
 *
 * @param authenticated whether the document asks for credentials (a security requirement that is not empty)
 * @param scopes        the scopes it requires ({@code x-required-scopes}); admin (scope or role) holds every scope
 * @param roles         the roles it requires ({@code x-required-roles})
 */
public record ExposedOperation(String service, String method, String path, boolean authenticated,
                               List<String> scopes, List<String> roles) {

    static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    public String label() {
        return method + " " + path;
    }

    public boolean changesState() {
        return !READ_METHODS.contains(method.toUpperCase(Locale.ROOT));
    }

    /** Authenticated, but any valid credential of any tenant passes: no scope and no role is required. */
    public boolean unscoped() {
        return authenticated && scopes.isEmpty() && roles.isEmpty();
    }

    /** Whether a credential with these scopes and roles is let through. */
    public boolean admits(Set<String> heldScopes, Set<String> heldRoles, boolean hasCredential) {
        if (!authenticated) {
            return true;
        }
        if (!hasCredential) {
            return false;
        }
        if (!heldRoles.containsAll(roles)) {
            return false;
        }
        boolean everyScope = heldScopes.contains("admin") || heldRoles.contains("admin");
        return everyScope || heldScopes.containsAll(scopes);
    }

    /** Issues or rotates credentials: reaching it lets an attacker stay after the first credential is revoked. */
    public boolean issuesCredentials() {
        return changesState() && method.equalsIgnoreCase("POST")
                && (path.matches(".*/keys(/\\{[^}]+}/rotate)?") && path.startsWith("/api/")
                || path.endsWith("/clients") || path.endsWith("/oauth2/token"));
    }
}
