package io.qnsp.ai;

/** The OAuth2 scopes of the AI orchestrator API; a caller with the admin role holds every scope. */
public final class AiScopes {

    /** Read cost analytics and recommendations, the bias summary and injection statistics. */
    public static final String READ = "ai:read";
    /**
     * Register, activate, deprecate and deploy models, record usage, create and start bias evaluations, create
     * injection patterns and analyze prompts.
     */
    public static final String WRITE = "ai:write";

    private AiScopes() {
    }
}
