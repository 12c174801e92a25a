package io.qnsp.tenant.onboarding;

import java.util.Arrays;
import java.util.List;

/** The steps an onboarding template can be made of. */
public enum StepKind {

    CREATE_TENANT("create_tenant", "Create the tenant with its plan and quota limits (auth-service)"),
    CONFIRM_LIMITS("confirm_limits", "Read the tenant back and confirm its plan and limits are in force"),
    CREATE_ADMIN_CLIENT("create_admin_client", "Register the tenant's administrator client (auth-service)"),
    ISSUE_API_KEY("issue_api_key", "Get a token as the administrator client and issue the tenant's first API key");

    private final String id;
    private final String title;

    StepKind(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    static StepKind of(String id) {
        return Arrays.stream(values()).filter(kind -> kind.id.equals(id)).findFirst().orElseThrow();
    }

    /** The templates a workflow can be created from, by id. */
    static final java.util.Map<String, List<StepKind>> TEMPLATES = java.util.Map.of(
            "standard", List.of(CREATE_TENANT, CONFIRM_LIMITS, CREATE_ADMIN_CLIENT, ISSUE_API_KEY),
            "tenant-with-admin", List.of(CREATE_TENANT, CONFIRM_LIMITS, CREATE_ADMIN_CLIENT));
}
