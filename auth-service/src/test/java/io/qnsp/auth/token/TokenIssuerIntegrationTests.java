package io.qnsp.auth.token;

import io.qnsp.auth.AuthApplication;
import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestRedis;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tokens from the token endpoint, checked by an independent JOSE library (jose4j) against the published JWKS, across
 * a restart of the service and across signing-key rotations.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenIssuerIntegrationTests {

    private static final String ISSUER = "http://localhost:8081";

    @TempDir
    Path temp;

    @Test
    void tokensValidateAgainstTheJwksAcrossRestartsAndRotations() throws Exception {
        Path credentialsFile = temp.resolve("bootstrap.txt");
        try (ServiceInstances instances = new ServiceInstances(AuthApplication.class, TestRedis.shared(),
                Map.of("qnsp.auth.bootstrap.credentials-file", credentialsFile.toString()))) {
            RestClient first = client(instances.start());
            Credentials admin = Credentials.read(credentialsFile);
            assertThat(Files.getPosixFilePermissions(credentialsFile)).hasSize(2);

            JsonNode discovery = first.get().uri("/.well-known/oauth-authorization-server").retrieve()
                    .body(JsonNode.class);
            assertThat(discovery.get("issuer").asString()).isEqualTo(ISSUER);
            assertThat(discovery.get("token_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/token");
            assertThat(discovery.get("jwks_uri").asString()).isEqualTo(ISSUER + "/oauth2/jwks");
            assertThat(first.get().uri("/.well-known/openid-configuration").retrieve().toBodilessEntity()
                    .getStatusCode().value()).isEqualTo(200);

            String token = token(first, admin);
            JwtClaims claims = verify(token, jwks(first));
            assertThat(claims.getIssuer()).isEqualTo(ISSUER);
            assertThat(claims.getSubject()).isEqualTo(admin.clientId());
            assertThat(claims.getAudience()).containsExactly("qnsp");
            assertThat(claims.getStringClaimValue("tenant_id")).isEqualTo("platform");
            assertThat(claims.getStringListClaimValue("roles")).contains("admin", "platform_admin");
            assertThat(claims.getClaimValueAsString("scope")).contains("admin");
            assertThat(claims.getStringClaimValue("plan")).isEqualTo("enterprise");
            String firstKid = keyId(token);

            // the first start also issued an admin API key; verifying it yields a downstream token for its principal
            ResponseEntity<JsonNode> verified = first.post().uri("/internal/v1/keys/verify")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("apiKey", admin.apiKey())).retrieve().toEntity(JsonNode.class);
            assertThat(verified.getStatusCode().value()).as(String.valueOf(verified.getBody())).isEqualTo(200);
            JsonNode verification = verified.getBody();
            assertThat(verification.get("tenantId").asString()).isEqualTo("platform");
            assertThat(verification.toString()).doesNotContain(admin.apiKey());
            JwtClaims downstream = verify(verification.get("accessToken").asString(), jwks(first));
            assertThat(downstream.getSubject()).isEqualTo(verification.get("principal").asString());
            assertThat(downstream.getStringClaimValue("key_id")).isEqualTo(verification.get("keyId").asString());
            assertThat(downstream.getStringClaimValue("tenant_id")).isEqualTo("platform");
            assertThat(downstream.getStringListClaimValue("scope")).containsExactly("admin");
            assertThat(downstream.getExpirationTime().getValue() - downstream.getIssuedAt().getValue())
                    .isLessThanOrEqualTo(300);

            // a restart: same database, new process state
            instances.stop(0);
            RestClient second = client(instances.start());
            assertThat(verify(token, jwks(second)).getSubject()).isEqualTo(admin.clientId());
            String afterRestart = token(second, admin);
            assertThat(keyId(afterRestart)).isEqualTo(firstKid);

            // the service accepts its own tokens on its API, and rotation publishes the old key beside the new
            String rotated = second.post().uri("/auth/admin/signing-keys/rotate")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + afterRestart).retrieve().body(JsonNode.class)
                    .get("kid").asString();
            assertThat(rotated).isNotEqualTo(firstKid);
            JsonWebKeySet published = jwks(second);
            assertThat(published.getJsonWebKeys()).extracting(key -> key.getKeyId())
                    .containsExactlyInAnyOrder(rotated, firstKid);
            assertThat(published.toJson()).doesNotContain("\"d\"");
            String signedAfterRotation = token(second, admin);
            assertThat(keyId(signedAfterRotation)).isEqualTo(rotated);
            verify(token, published);
            verify(signedAfterRotation, published);

            // a second rotation retires the first key: tokens signed with it no longer verify
            second.post().uri("/auth/admin/signing-keys/rotate")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + signedAfterRotation).retrieve().toBodilessEntity();
            JsonWebKeySet afterSecondRotation = jwks(second);
            assertThat(afterSecondRotation.getJsonWebKeys()).extracting(key -> key.getKeyId()).doesNotContain(firstKid);
            assertThatThrownBy(() -> verify(token, afterSecondRotation)).isInstanceOf(InvalidJwtException.class);
            verify(signedAfterRotation, afterSecondRotation);
        }
    }

    @Test
    void wrongClientCredentialsAreRefusedAndNoSecretIsStoredOrLoggedInPlainText(CapturedOutput output)
            throws Exception {
        Path credentialsFile = temp.resolve("bootstrap.txt");
        try (ServiceInstances instances = new ServiceInstances(AuthApplication.class, TestRedis.shared(),
                Map.of("qnsp.auth.bootstrap.credentials-file", credentialsFile.toString()))) {
            RestClient api = client(instances.start());
            Credentials admin = Credentials.read(credentialsFile);
            ResponseEntity<JsonNode> refused = tokenResponse(api, new Credentials(admin.clientId(), "wrong"));
            assertThat(refused.getStatusCode().value()).isEqualTo(401);
            assertThat(refused.getBody().get("error").asString()).isEqualTo("invalid_client");
            assertThat(tokenResponse(api, new Credentials("nobody", admin.secret())).getStatusCode().value())
                    .isEqualTo(401);
            // no client authentication at all is invalid_client too (RFC 6749 §5.2)
            ResponseEntity<JsonNode> anonymous = api.post().uri("/oauth2/token")
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .body(form("grant_type", "client_credentials")).retrieve().toEntity(JsonNode.class);
            assertThat(anonymous.getStatusCode().value()).isEqualTo(401);
            assertThat(anonymous.getBody().get("error").asString()).isEqualTo("invalid_client");
            String token = token(api, admin);

            JdbcTemplate jdbc = instances.context(0).getBean(JdbcTemplate.class);
            for (String table : List.of("oauth2_registered_client", "oauth2_authorization", "tenant_client",
                    "signing_key", "api_key")) {
                for (Map<String, Object> row : jdbc.queryForList("SELECT * FROM auth." + table)) {
                    for (Object value : row.values()) {
                        String text = value instanceof byte[] bytes
                                ? new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(value);
                        assertThat(text).as(table).doesNotContain(admin.secret()).doesNotContain(admin.apiKey());
                    }
                }
            }
            // the private key is sealed: its stored bytes are not a readable PKCS#8 key
            byte[] sealed = jdbc.queryForObject("SELECT private_key_ciphertext FROM auth.signing_key LIMIT 1",
                    byte[].class);
            assertThatThrownBy(() -> java.security.KeyFactory.getInstance("RSA")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(sealed)))
                    .isInstanceOf(java.security.spec.InvalidKeySpecException.class);
            assertThat(output.getAll()).doesNotContain(admin.secret()).doesNotContain(token)
                    .doesNotContain(admin.apiKey())
                    .contains(admin.clientId());
        }
    }

    @Test
    void theServiceClientsExistWithTheConfiguredSecretsAndOnlyTheirScopes() throws Exception {
        Path credentialsFile = temp.resolve("bootstrap.txt");
        try (ServiceInstances instances = new ServiceInstances(AuthApplication.class, TestRedis.shared(),
                Map.of("qnsp.auth.bootstrap.credentials-file", credentialsFile.toString(),
                        "qnsp.auth.bootstrap.service-clients.gateway.secret", "first-gateway-secret-0123456789",
                        "qnsp.auth.bootstrap.service-clients.vault.secret", "first-vault-secret-0123456789",
                        "qnsp.auth.bootstrap.service-clients.storage.secret", "first-storage-secret-0123456789"))) {
            RestClient api = client(instances.start());
            Credentials admin = Credentials.read(credentialsFile);
            String gatewayToken = token(api, new Credentials("gateway", "first-gateway-secret-0123456789"));
            JwtClaims claims = verify(gatewayToken, jwks(api));
            assertThat(claims.getStringListClaimValue("scope")).containsExactly("internal:keys:verify");
            assertThat(claims.getStringListClaimValue("roles")).isEmpty();
            ResponseEntity<JsonNode> verified = api.post().uri("/internal/v1/keys/verify")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + gatewayToken).contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("apiKey", admin.apiKey())).retrieve().toEntity(JsonNode.class);
            assertThat(verified.getStatusCode().value()).isEqualTo(200);
            // and nothing else
            assertThat(api.get().uri("/api/v1/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + gatewayToken)
                    .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(403);

            // the vault's client gets the KMS scopes only, in the operator's tenant
            JwtClaims vault = verify(token(api, new Credentials("vault", "first-vault-secret-0123456789")),
                    jwks(api));
            assertThat(vault.getStringListClaimValue("scope")).containsExactlyInAnyOrder("kms:read", "kms:write",
                    "kms:use");
            assertThat(vault.getStringListClaimValue("roles")).isEmpty();
            assertThat(vault.getStringClaimValue("tenant_id")).isEqualTo("platform");

            // so does the object store's
            JwtClaims storage = verify(token(api, new Credentials("storage", "first-storage-secret-0123456789")),
                    jwks(api));
            assertThat(storage.getStringListClaimValue("scope")).containsExactlyInAnyOrder("kms:read", "kms:write",
                    "kms:use");
            assertThat(storage.getStringListClaimValue("roles")).isEmpty();
            assertThat(storage.getStringClaimValue("tenant_id")).isEqualTo("platform");
        }
    }

    @Test
    void aClientIntrospectsAndRevokesItsTokens() throws Exception {
        Path credentialsFile = temp.resolve("bootstrap.txt");
        try (ServiceInstances instances = new ServiceInstances(AuthApplication.class, TestRedis.shared(),
                Map.of("qnsp.auth.bootstrap.credentials-file", credentialsFile.toString()))) {
            RestClient api = client(instances.start());
            Credentials admin = Credentials.read(credentialsFile);
            String token = token(api, admin);

            // the record of the issued token holds its digest, the one the migration of older records computes
            JdbcTemplate jdbc = instances.context(0).getBean(JdbcTemplate.class);
            String digest = DigestedTokenAuthorizationService.digest(token);
            assertThat(digest).isEqualTo(jdbc.queryForObject(
                    "SELECT 'sha256:' || encode(sha256(convert_to(?, 'UTF8')), 'hex')", String.class, token));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_authorization WHERE access_token_value = ?",
                    Integer.class, digest)).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_authorization t WHERE strpos(t::text, ?) > 0",
                    Integer.class, token.substring(token.lastIndexOf('.') + 1))).isZero();

            JsonNode active = clientPost(api, "/oauth2/introspect", admin, form("token", token)).getBody();
            assertThat(active.get("active").asBoolean()).isTrue();
            assertThat(active.get("client_id").asString()).isEqualTo(admin.clientId());
            assertThat(active.get("tenant_id").asString()).isEqualTo("platform");
            assertThat(active.get("scope").asString()).isEqualTo("admin");
            assertThat(clientPost(api, "/oauth2/introspect", admin, form("token", "not-a-token")).getBody()
                    .get("active").asBoolean()).isFalse();
            assertThat(clientPost(api, "/oauth2/introspect", new Credentials(admin.clientId(), "wrong"),
                    form("token", token)).getStatusCode().value()).isEqualTo(401);

            // the authorization endpoint: no client of this issuer may use the code flow (client credentials only),
            // so every request for a code is refused as the client's error, never a server error
            for (String query : List.of("response_type=code&client_id=" + admin.clientId() + "&scope=admin",
                    "response_type=code&client_id=" + admin.clientId() + "&redirect_uri=https://example.org/cb")) {
                ResponseEntity<String> authorize = api.get().uri("/oauth2/authorize?" + query).retrieve()
                        .toEntity(String.class);
                assertThat(authorize.getStatusCode().value()).as("%s: %s", query, authorize.getBody()).isEqualTo(400);
                assertThat(authorize.getBody()).contains("unauthorized_client");
                // never sent on to a URI the caller named
                assertThat(authorize.getHeaders().getLocation()).isNull();
            }
            for (String query : List.of("response_type=code&client_id=unknown", "")) {
                ResponseEntity<String> authorize = api.get().uri("/oauth2/authorize?" + query).retrieve()
                        .toEntity(String.class);
                assertThat(authorize.getStatusCode().value()).as("%s: %s", query, authorize.getBody())
                        .isBetween(400, 499);
            }

            assertThat(clientPost(api, "/oauth2/revoke", admin, form("token", token)).getStatusCode().value())
                    .isEqualTo(200);
            assertThat(clientPost(api, "/oauth2/introspect", admin, form("token", token)).getBody()
                    .get("active").asBoolean()).isFalse();
        }
    }

    record Credentials(String clientId, String secret, String apiKey) {

        Credentials(String clientId, String secret) {
            this(clientId, secret, null);
        }

        static Credentials read(Path file) throws Exception {
            String text = Files.readString(file);
            Matcher id = Pattern.compile("client id:\\s+(\\S+)").matcher(text);
            Matcher secret = Pattern.compile("client secret:\\s+(\\S+)").matcher(text);
            Matcher apiKey = Pattern.compile("admin API key:\\s+(dh_live_\\S+)").matcher(text);
            assertThat(id.find()).isTrue();
            assertThat(secret.find()).isTrue();
            assertThat(apiKey.find()).isTrue();
            return new Credentials(id.group(1), secret.group(1), apiKey.group(1));
        }
    }

    private static RestClient client(int port) {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
    }

    private static ResponseEntity<JsonNode> tokenResponse(RestClient api, Credentials credentials) {
        return clientPost(api, "/oauth2/token", credentials, form("grant_type", "client_credentials"));
    }

    private static ResponseEntity<JsonNode> clientPost(RestClient api, String path, Credentials credentials,
                                                       MultiValueMap<String, String> form) {
        return api.post().uri(path).headers(h -> h.setBasicAuth(credentials.clientId(), credentials.secret()))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form).retrieve().toEntity(JsonNode.class);
    }

    private static MultiValueMap<String, String> form(String name, String value) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add(name, value);
        return form;
    }

    private static String token(RestClient api, Credentials credentials) {
        ResponseEntity<JsonNode> response = tokenResponse(api, credentials);
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(200);
        assertThat(response.getBody().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(response.getBody().get("expires_in").asLong()).isBetween(1L, 900L);
        return response.getBody().get("access_token").asString();
    }

    private static JsonWebKeySet jwks(RestClient api) throws Exception {
        return new JsonWebKeySet(api.get().uri("/oauth2/jwks").retrieve().body(String.class));
    }

    private static JwtClaims verify(String token, JsonWebKeySet jwks) throws InvalidJwtException {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setExpectedIssuer(ISSUER)
                .setExpectedAudience("qnsp")
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .build();
        return consumer.processToClaims(token);
    }

    private static String keyId(String token) throws Exception {
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        Matcher kid = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]+)\"").matcher(header);
        assertThat(kid.find()).isTrue();
        return kid.group(1);
    }
}
