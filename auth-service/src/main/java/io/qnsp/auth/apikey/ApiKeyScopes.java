package io.qnsp.auth.apikey;

import java.util.List;

/** The scopes a DataHub API key may carry (spec 003); {@code admin} stands for all of them. */
public final class ApiKeyScopes {

    public static final String READ_KEYS = "read:keys";
    public static final String WRITE_KEYS = "write:keys";
    /** Held by the gateway's client: verifies presented keys. */
    public static final String VERIFY_KEYS = "internal:keys:verify";

    /** Every scope a key can be given, in the reference's order. */
    public static final List<String> KNOWN = List.of(READ_KEYS, WRITE_KEYS, "read:requests", "write:requests",
            "read:webhooks", "write:webhooks", "admin");

    private ApiKeyScopes() {
    }
}
