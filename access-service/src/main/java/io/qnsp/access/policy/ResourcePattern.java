package io.qnsp.access.policy;

import org.jspecify.annotations.Nullable;

/**
 * Which resources a policy names: {@code *} (all), or {@code type:id-pattern} such as {@code document:*},
 * {@code document:reports/*} or {@code bucket:invoices}; the type may be {@code *}. The id is everything after the
 * first colon, so ids may hold colons themselves.
 */
public record ResourcePattern(String text, Glob type, Glob id) {

    static @Nullable ResourcePattern parse(String text, String[] problem) {
        if (text.equals("*")) {
            return new ResourcePattern(text, Glob.of("*"), Glob.of("*"));
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            problem[0] = "must be * or type:id-pattern (e.g. document:*, document:reports/*)";
            return null;
        }
        return new ResourcePattern(text, Glob.of(text.substring(0, colon)), Glob.of(text.substring(colon + 1)));
    }

    public static ResourcePattern of(String type, String id) {
        return new ResourcePattern(type + ":" + id, Glob.of(type), Glob.of(id));
    }

    public boolean matches(AccessRequest.Resource resource) {
        return type.matches(resource.type()) && id.matches(resource.id());
    }

    public boolean isExact() {
        return type.isLiteral() && id.isLiteral();
    }

    public boolean isEverything() {
        return type.isAny() && id.isAny();
    }
}
