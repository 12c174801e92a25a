package io.qnsp.test.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.qnsp.test.infra.StubHttpServers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JWT issuer services under test trust: one RSA key pair per JVM, its JWKS and discovery metadata
 * ({@code /.well-known/openid-configuration}, {@code /.well-known/oauth-authorization-server}) served on a free
 * loopback port. {@code @EmbeddedInfrastructure} points Spring Boot's resource server at it; mint tokens with
 * {@link TestTokens}.
 */
public final class TestTokenIssuer {

    static final String KEY_ID = "qnsp-test-key";
    static final String JWKS_PATH = "/oauth2/jwks";

    private static TestTokenIssuer shared;

    private final RSAKey signingKey;
    /** Same key id, different key: a token it signs looks right but fails signature verification. */
    private final RSAKey impostorKey;
    private final String issuer;

    private TestTokenIssuer(RSAKey signingKey, RSAKey impostorKey, String issuer) {
        this.signingKey = signingKey;
        this.impostorKey = impostorKey;
        this.issuer = issuer;
    }

    /** The JVM-wide issuer, started on first use; its server lives as long as the JVM. */
    public static synchronized TestTokenIssuer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** The {@code iss} of the tokens it mints, also its discovery base: {@code http://127.0.0.1:<port>}. */
    public String issuer() {
        return issuer;
    }

    /** Where its public keys are served. */
    public String jwkSetUri() {
        return issuer + JWKS_PATH;
    }

    String sign(JWTClaimsSet claims, boolean withImpostorKey) {
        RSAKey key = withImpostorKey ? impostorKey : signingKey;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID)
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a test token", e);
        }
        return jwt.serialize();
    }

    private static TestTokenIssuer start() {
        RSAKey signingKey;
        RSAKey impostorKey;
        try {
            signingKey = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
            impostorKey = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate the test RSA key pair", e);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test token issuer", e);
        }
        String issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        String jwks = new JWKSet(signingKey.toPublicJWK()).toString(true);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("jwks_uri", issuer + JWKS_PATH);
        metadata.put("token_endpoint", issuer + "/oauth2/token");
        metadata.put("response_types_supported", List.of("token"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", List.of("RS256"));
        String discovery = JSONObjectUtils.toJSONString(metadata);
        server.createContext(JWKS_PATH, exchange -> StubHttpServers.json(exchange, 200, jwks));
        server.createContext("/.well-known/openid-configuration",
                exchange -> StubHttpServers.json(exchange, 200, discovery));
        server.createContext("/.well-known/oauth-authorization-server",
                exchange -> StubHttpServers.json(exchange, 200, discovery));
        StubHttpServers.startAsDaemon(server);
        return new TestTokenIssuer(signingKey, impostorKey, issuer);
    }

}
