package io.qnsp.tenant.onboarding;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A workflow's parameters, checked when it is created; each may be left out.
 *
 * @param tenantName   the new tenant's display name (default: its id)
 * @param plan         its plan (default {@code standard})
 * @param addOns       its add-ons
 * @param quotas       its own quota limits by resource, set with the tenant
 * @param adminScopes  the administrator client's scopes (default admin, read:keys, write:keys)
 * @param apiKeyName   the first API key's name
 * @param apiKeyScopes the first API key's scopes (default read:keys)
 */
record OnboardingParameters(String tenantName, String plan, List<String> addOns, Map<String, Long> quotas,
                            List<String> adminScopes, String apiKeyName, List<String> apiKeyScopes) {

    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    static final List<String> DEFAULT_ADMIN_SCOPES = List.of("admin", "read:keys", "write:keys");

    static OnboardingParameters parse(String tenantId, @Nullable Map<String, Object> raw) {
        Map<String, Object> values = raw == null ? Map.of() : raw;
        for (String name : values.keySet()) {
            if (!List.of("tenantName", "plan", "addOns", "quotas", "adminScopes", "apiKeyName", "apiKeyScopes")
                    .contains(name)) {
                throw new InvalidField("parameters." + name, "is not a parameter of onboarding: tenantName, plan, "
                        + "addOns, quotas, adminScopes, apiKeyName, apiKeyScopes");
            }
        }
        String name = text(values, "tenantName", tenantId, 200);
        String plan = text(values, "plan", "standard", 100);
        if (!TOKEN.matcher(plan).matches()) {
            throw new InvalidField("parameters.plan", "must be letters, digits, '.', '_', ':' or '-'");
        }
        return new OnboardingParameters(name, plan, tokens(values, "addOns", List.of()), quotas(values),
                tokens(values, "adminScopes", DEFAULT_ADMIN_SCOPES),
                text(values, "apiKeyName", "first key", 100), tokens(values, "apiKeyScopes", List.of("read:keys")));
    }

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tenantName", tenantName);
        map.put("plan", plan);
        map.put("addOns", addOns);
        map.put("quotas", quotas);
        map.put("adminScopes", adminScopes);
        map.put("apiKeyName", apiKeyName);
        map.put("apiKeyScopes", apiKeyScopes);
        return map;
    }

    private static String text(Map<String, Object> values, String name, String fallback, int max) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text) || text.isBlank() || text.strip().length() > max) {
            throw new InvalidField("parameters." + name, "must be a non-blank string of at most " + max
                    + " characters");
        }
        return text.strip();
    }

    private static List<String> tokens(Map<String, Object> values, String name, List<String> fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof List<?> list) || list.size() > 50) {
            throw new InvalidField("parameters." + name, "must be a list of at most 50 names");
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String token) || !TOKEN.matcher(token).matches()) {
                throw new InvalidField("parameters." + name + "[" + i + "]",
                        "must be letters, digits, '.', '_', ':' or '-'");
            }
            tokens.add(token);
        }
        return List.copyOf(tokens);
    }

    private static Map<String, Long> quotas(Map<String, Object> values) {
        Object value = values.get("quotas");
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map) || map.size() > 100) {
            throw new InvalidField("parameters.quotas", "must map at most 100 quota types to limits");
        }
        Map<String, Long> quotas = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String field = "parameters.quotas." + entry.getKey();
            if (!(entry.getKey() instanceof String resource) || !TOKEN.matcher(resource).matches()) {
                throw new InvalidField("parameters.quotas", "must map quota type names to limits");
            }
            if (!(entry.getValue() instanceof Number number) || number.doubleValue() < 0
                    || number.doubleValue() != Math.floor(number.doubleValue())) {
                throw new InvalidField(field, "must be a whole number of at least 0");
            }
            quotas.put(resource, number.longValue());
        }
        return quotas;
    }
}
