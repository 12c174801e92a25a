package io.qnsp.auth.token;

import io.qnsp.auth.AuthSettings;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues access tokens outside the OAuth endpoints, with the same key, issuer and claims as the token endpoint:
 * e.g. the short-lived token the gateway forwards downstream for a request authenticated by API key.
 */
@Component
public class AccessTokens {

    /** A signed token and when it stops being valid. */
    public record IssuedToken(String value, Instant expiresAt) {
    }

    private final JwtEncoder encoder;
    private final SigningKeys keys;
    private final AuthSettings settings;
    private final Clock clock;

    AccessTokens(JwtEncoder encoder, SigningKeys keys, AuthSettings settings, Optional<Clock> clock) {
        this.encoder = encoder;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    public IssuedToken issue(String subject, String tenantId, Collection<String> scopes, Collection<String> roles,
                             Map<String, Object> extraClaims, Duration ttl) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(settings.issuer())
                .subject(subject)
                .audience(List.of(TokenClaims.AUDIENCE))
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(expiresAt)
                .id(UUID.randomUUID().toString())
                .claim("tenant_id", tenantId)
                .claim("scope", List.copyOf(scopes))
                .claim("roles", List.copyOf(roles));
        extraClaims.forEach(claims::claim);
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(keys.signingKey().getKeyID()).build();
        String value = encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
        return new IssuedToken(value, expiresAt);
    }
}
