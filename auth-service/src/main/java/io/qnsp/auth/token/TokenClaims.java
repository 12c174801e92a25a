package io.qnsp.auth.token;

import io.qnsp.auth.tenant.TenantManagement;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;

/**
 * Puts the platform's claims into every access token: the client's tenant, its roles, and the tenant's add-ons,
 * plan and quota overrides; all the client's registered scopes when it asked for none; and names the signing key,
 * so verifiers pick the right one after a rotation.
 * <p>
 * The claims are stored with the authorization and read back for introspection and revocation through Spring
 * Security's Jackson allow-list, which admits {@link ArrayList} and {@link LinkedHashMap} but not the immutable
 * collections of {@code List.of} or {@code toList()}: every collection claim is copied into one of those.
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
        context.getClaims().audience(new ArrayList<>(List.of(AUDIENCE)));
        if (context.getAuthorizedScopes().isEmpty()) {
            // a client that asks for no scope gets all it is registered for (RFC 6749 §3.3 default)
            context.getClaims().claim("scope",
                    new ArrayList<>(new TreeSet<>(context.getRegisteredClient().getScopes())));
        }
        tenants.identityOf(context.getRegisteredClient().getClientId()).ifPresent(identity -> context.getClaims()
                .claim("tenant_id", identity.tenant().id())
                .claim("roles", new ArrayList<>(identity.client().roles()))
                .claim("addons", new ArrayList<>(identity.tenant().addOns()))
                .claim("plan", identity.tenant().plan())
                .claim("quotas", new LinkedHashMap<>(identity.tenant().quotas())));
    }
}
