package io.qnsp.test.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTokensTests {

    private final TestTokenIssuer issuer = TestTokenIssuer.shared();
    /** Built from the discovery document, exactly as a resource server configured with issuer-uri does. */
    private final JwtDecoder decoder = JwtDecoders.fromIssuerLocation(issuer.issuer());

    @Test
    void discoveryNamesTheIssuerAndItsKeys() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(issuer.issuer() + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString());

        Map<String, Object> metadata = JSONObjectUtils.parse(response.body());
        assertThat(metadata).containsEntry("issuer", issuer.issuer()).containsEntry("jwks_uri", issuer.jwkSetUri());
        assertThat(issuer.issuer()).startsWith("http://127.0.0.1:");
    }

    @Test
    void mintedTokenCarriesThePlatformClaims() {
        String token = TestTokens.forTenant("t1").subject("svc-1").scopes("kms:read", "kms:write").roles("admin")
                .addOns("byohsm").plan("pro").audience("qnsp-api").mint();

        Jwt jwt = decoder.decode(token);

        assertThat(jwt.getIssuer().toString()).isEqualTo(issuer.issuer());
        assertThat(jwt.getSubject()).isEqualTo("svc-1");
        assertThat(jwt.getClaimAsString("tenant_id")).isEqualTo("t1");
        assertThat(jwt.getClaimAsString("scope")).isEqualTo("kms:read kms:write");
        assertThat(jwt.getClaimAsStringList("roles")).containsExactly("admin");
        assertThat(jwt.getClaimAsStringList("addons")).containsExactly("byohsm");
        assertThat(jwt.getClaimAsString("plan")).isEqualTo("pro");
        assertThat(jwt.getAudience()).isEqualTo(List.of("qnsp-api"));
        assertThat(jwt.getExpiresAt()).isAfter(jwt.getIssuedAt());
    }

    @Test
    void negativeVariantsAreRefused() {
        assertThatThrownBy(() -> decoder.decode(TestTokens.forTenant("t1").expired().mint()))
                .isInstanceOf(JwtValidationException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> decoder.decode(TestTokens.forTenant("t1").wrongIssuer().mint()))
                .isInstanceOf(JwtValidationException.class).hasMessageContaining("iss");
        assertThatThrownBy(() -> decoder.decode(TestTokens.forTenant("t1").wrongSignature().mint()))
                .isInstanceOf(BadJwtException.class).hasMessageContaining("signature");
    }
}
