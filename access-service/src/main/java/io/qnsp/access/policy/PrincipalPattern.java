package io.qnsp.access.policy;

import org.jspecify.annotations.Nullable;

import java.util.Set;

/**
 * Whom a policy names: {@code *} (anyone), {@code user:alice}, {@code service:billing-*}, {@code user:*}, or
 * {@code group:admins} (any principal in the group, and the group itself).
 */
public record PrincipalPattern(String text, String type, Glob id) {

    public static final Set<String> TYPES = Set.of("user", "service", "group");

    /** The pattern the text spells, or {@code null} with the reason in {@code problem[0]}. */
    static @Nullable PrincipalPattern parse(String text, String[] problem) {
        if (text.equals("*")) {
            return new PrincipalPattern(text, "*", Glob.of("*"));
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            problem[0] = "must be * or type:id with type user, service, group or * (e.g. user:alice, group:admins)";
            return null;
        }
        String type = text.substring(0, colon);
        if (!type.equals("*") && !TYPES.contains(type)) {
            problem[0] = "has type " + type + ": must be user, service, group or *";
            return null;
        }
        return new PrincipalPattern(text, type, Glob.of(text.substring(colon + 1)));
    }

    /** An exact principal of any type: the JIT grant of one principal id. */
    public static PrincipalPattern anyTypeWithId(String id) {
        return new PrincipalPattern("*:" + id, "*", Glob.exact(id));
    }

    public boolean matches(AccessRequest.Principal principal) {
        if (type.equals("group")) {
            if (principal.type().equals("group") && id.matches(principal.id())) {
                return true;
            }
            for (String group : principal.groups()) {
                if (id.matches(group)) {
                    return true;
                }
            }
            return false;
        }
        return (type.equals("*") || type.equals(principal.type())) && id.matches(principal.id());
    }

    /** Whether it names exactly one principal (no wildcard): a principal the impact analysis knows. */
    public boolean isExact() {
        return !type.equals("*") && id.isLiteral();
    }

    /** Anyone at all. */
    public boolean isEveryone() {
        return type.equals("*") && id.isAny();
    }
}
