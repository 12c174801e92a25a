package io.qnsp.access;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** Calls a running access-service over real HTTP as one caller; never throws on an error status. */
public final class AccessApi extends ServiceApi {

    /** Every access scope. */
    public static final String[] ALL_SCOPES = {AccessScopes.READ, AccessScopes.WRITE, AccessScopes.CHECK,
            AccessScopes.REQUEST, AccessScopes.APPROVE};

    private AccessApi(int port, String token) {
        super(client(port, token));
    }

    public static AccessApi withToken(int port, String token) {
        return new AccessApi(port, token);
    }

    /** A caller of the tenant holding the scopes given, as {@code subject}. */
    public static AccessApi of(int port, String tenant, String subject, String... scopes) {
        return withToken(port, TestTokens.forTenant(tenant).subject(subject).scopes(scopes).mint());
    }

    /** A caller of the tenant with roles, as {@code subject}. */
    public static AccessApi withRoles(int port, String tenant, String subject, String[] roles, String... scopes) {
        return withToken(port, TestTokens.forTenant(tenant).subject(subject).roles(roles).scopes(scopes).mint());
    }

    /** Creates a policy and answers its id; fails the test when the service refuses. */
    public String createPolicy(String name, String effect, List<String> principals, List<String> resources,
                               List<String> actions, Map<String, Object> conditions) {
        ResponseEntity<JsonNode> created = post("/access/v1/policies", body("name", name, "effect", effect,
                "principals", principals, "resources", resources, "actions", actions, "conditions", conditions));
        return expect(created, 201).get("policyId").asString();
    }

    public String createPolicy(String name, String effect, List<String> principals, List<String> resources,
                               List<String> actions) {
        return createPolicy(name, effect, principals, resources, actions, Map.of());
    }

    /** The decision of a check (allow or deny). */
    public String decision(String principal, String resource, String action) {
        return expect(post("/access/v1/check", query(principal, resource, action, Map.of(), Map.of())), 200)
                .get("decision").asString();
    }

    /** A check or simulation body: principal and resource as {@code type:id}. */
    public static Map<String, Object> query(String principal, String resource, String action,
                                            Map<String, Object> attributes, Map<String, Object> environment) {
        int p = principal.indexOf(':');
        int r = resource.indexOf(':');
        return body("principal", body("type", principal.substring(0, p), "id", principal.substring(p + 1)),
                "resource", body("type", resource.substring(0, r), "id", resource.substring(r + 1),
                        "attributes", attributes),
                "action", action, "context", body("environment", environment));
    }
}
