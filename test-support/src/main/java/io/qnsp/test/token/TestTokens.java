package io.qnsp.test.token;

import com.nimbusds.jwt.JWTClaimsSet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Mints JWTs signed by the {@link TestTokenIssuer}, carrying the platform's claims, e.g.
 * {@code TestTokens.forTenant("t1").scopes("kms:read").roles("admin").addOns("byohsm").mint()}; plus tokens that
 * must be refused: {@link Builder#expired()}, {@link Builder#wrongIssuer()}, {@link Builder#wrongSignature()}.
 */
public final class TestTokens {

    private TestTokens() {
    }

    /** A token for a caller of the tenant; subject {@code user-1} unless set. */
    public static Builder forTenant(String tenantId) {
        return new Builder(tenantId);
    }

    /** A token without a tenant claim. */
    public static Builder withoutTenant() {
        return new Builder(null);
    }

    /** A fluent token description; {@link #mint()} signs it. */
    public static final class Builder {

        private final String tenantId;
        private String subject = "user-1";
        private final Set<String> scopes = new LinkedHashSet<>();
        private final Set<String> roles = new LinkedHashSet<>();
        private final Set<String> addOns = new LinkedHashSet<>();
        private final List<String> audiences = new ArrayList<>();
        private final Map<String, Object> extraClaims = new LinkedHashMap<>();
        private String plan;
        private String issuer;
        private Duration lifetime = Duration.ofMinutes(15);
        private Instant issuedAt;
        private boolean impostorSignature;
        private boolean scopeAsList;

        private Builder(String tenantId) {
            this.tenantId = tenantId;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder scopes(String... scopes) {
            this.scopes.addAll(Arrays.asList(scopes));
            return this;
        }

        /** Writes {@code scope} as a JSON list rather than OAuth2's space-separated string. */
        public Builder scopesAsList() {
            this.scopeAsList = true;
            return this;
        }

        public Builder roles(String... roles) {
            this.roles.addAll(Arrays.asList(roles));
            return this;
        }

        public Builder addOns(String... addOns) {
            this.addOns.addAll(Arrays.asList(addOns));
            return this;
        }

        public Builder plan(String plan) {
            this.plan = plan;
            return this;
        }

        public Builder audience(String... audiences) {
            this.audiences.addAll(Arrays.asList(audiences));
            return this;
        }

        /** How long the token is valid from now (15 minutes unless set). */
        public Builder expiresIn(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** Expired an hour ago, well past any clock-skew allowance. */
        public Builder expired() {
            this.issuedAt = Instant.now().minus(Duration.ofHours(2));
            this.lifetime = Duration.ofHours(1);
            return this;
        }

        /** Issued by someone other than the trusted issuer (correctly signed). */
        public Builder wrongIssuer() {
            this.issuer = "https://issuer.invalid";
            return this;
        }

        /** Signed by a different key under the trusted key id. */
        public Builder wrongSignature() {
            this.impostorSignature = true;
            return this;
        }

        public Builder claim(String name, Object value) {
            this.extraClaims.put(name, value);
            return this;
        }

        /** The signed, serialized JWT, for {@code Authorization: Bearer <token>}. */
        public String mint() {
            TestTokenIssuer trusted = TestTokenIssuer.shared();
            Instant issued = issuedAt == null ? Instant.now() : issuedAt;
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .issuer(issuer == null ? trusted.issuer() : issuer)
                    .subject(subject)
                    .jwtID(UUID.randomUUID().toString())
                    .issueTime(Date.from(issued))
                    .notBeforeTime(Date.from(issued))
                    .expirationTime(Date.from(issued.plus(lifetime)));
            if (!audiences.isEmpty()) {
                claims.audience(List.copyOf(audiences));
            }
            if (tenantId != null) {
                claims.claim("tenant_id", tenantId);
            }
            if (!scopes.isEmpty()) {
                claims.claim("scope", scopeAsList ? List.copyOf(scopes) : String.join(" ", scopes));
            }
            if (!roles.isEmpty()) {
                claims.claim("roles", List.copyOf(roles));
            }
            if (!addOns.isEmpty()) {
                claims.claim("addons", List.copyOf(addOns));
            }
            if (plan != null) {
                claims.claim("plan", plan);
            }
            extraClaims.forEach(claims::claim);
            return trusted.sign(claims.build(), impostorSignature);
        }
    }
}
