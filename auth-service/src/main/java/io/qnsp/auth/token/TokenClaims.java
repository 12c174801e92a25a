package io.qnsp.auth.token;

import io.qnsp.auth.tenant.TenantManagement;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * Puts the platform's claims into every access token: the client's tenant, its roles, and the tenant's add-ons,
 * plan and quota overrides; all the client's registered scopes when it asked for none; and names the signing key,
 * so verifiers pick the right one after a rotation.
 */
@Component
class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    static final String AUDIENCE = "qnsp";

    private final TenantManagement tenants;
    private final SigningKeys keys;

    TokenClaims(TenantManagement tenants, SigningKeys keys) {
        this.tenants = tenants;
        this.keys = keys;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        context.getJwsHeader().keyId(keys.signingKey().getKeyID());
        context.getClaims().audience(java.util.List.of(AUDIENCE));
        if (context.getAuthorizedScopes().isEmpty()) {
            // a client that asks for no scope gets all it is registered for (RFC 6749 §3.3 default)
            context.getClaims().claim("scope", context.getRegisteredClient().getScopes().stream().sorted().toList());
        }
        tenants.identityOf(context.getRegisteredClient().getClientId()).ifPresent(identity -> context.getClaims()
                .claim("tenant_id", identity.tenant().id())
                .claim("roles", identity.client().roles())
                .claim("addons", identity.tenant().addOns())
                .claim("plan", identity.tenant().plan())
                .claim("quotas", identity.tenant().quotas()));
    }
}
