package io.qnsp.cryptoinventory.inventory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The keys auth-service signs the platform's tokens with, from its public JWK set: the gateway and every service
 * trust exactly these. The key size of an RSA key is read from its modulus, an EC key is named by its curve.
 */
@Component
class PlatformSigningKeys {

    private static final Logger log = LoggerFactory.getLogger(PlatformSigningKeys.class);
    private static final String AUTH = "auth-service";

    private final RestClient auth;
    private final String jwksUri;

    PlatformSigningKeys(InventorySettings settings) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout()).build());
        requests.setReadTimeout(settings.readTimeout());
        this.auth = RestClient.builder().requestFactory(requests).build();
        this.jwksUri = settings.jwksUri().toString();
    }

    List<CryptoAsset> keys() {
        JsonNode jwks;
        try {
            jwks = auth.get().uri(jwksUri).retrieve().body(JsonNode.class);
        } catch (RestClientException e) {
            log.warn("the JWK set of {} cannot be read: {}", AUTH, e.getMessage());
            throw new InventoryUnavailable(AUTH, "did not give its JWK set");
        }
        if (jwks == null || jwks.get("keys") == null) {
            throw new InventoryUnavailable(AUTH, "gave a JWK set without keys");
        }
        List<CryptoAsset> keys = new ArrayList<>();
        for (JsonNode jwk : jwks.get("keys")) {
            String kid = jwk.has("kid") ? jwk.get("kid").asString() : "unnamed-" + keys.size();
            keys.add(new CryptoAsset("jwk:" + kid, CryptoAsset.SIGNING_KEY, "token signing key " + kid,
                    algorithm(jwk), List.of(), "active", "signing", null, null, null));
        }
        return keys;
    }

    static String algorithm(JsonNode jwk) {
        String kty = jwk.path("kty").asString("");
        return switch (kty) {
            case "RSA" -> "RSA-" + new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("n").asString()))
                    .bitLength();
            case "EC" -> "EC-" + jwk.path("crv").asString("unknown").replace("-", "");
            case "OKP" -> jwk.path("crv").asString("OKP");
            default -> jwk.has("alg") ? jwk.get("alg").asString() : kty;
        };
    }
}
