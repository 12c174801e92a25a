package io.qnsp.securitymonitoring.playbook;

import io.qnsp.securitymonitoring.PlatformClients;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * What a playbook's actions do, through the platform's own APIs with a bearer token of the playbook's tenant: block
 * revokes an API key at auth-service ({@code DELETE /api/v1/keys/{id}}), isolate disables a key at kms-service
 * ({@code POST /kms/v1/keys/{id}/disable}), rotate deprecates a secret version at vault-service
 * ({@code PATCH /v1/versioned-secrets/{id}/versions/{n}/state}), notify and webhook POST the incident to a URL.
 */
@Component
class ResponseActions {

    static final String AUTH = "auth-service";
    static final String KMS = "kms-service";
    static final String VAULT = "vault-service";

    /** An action that did not succeed, with what the other side said. */
    static final class ActionFailed extends Exception {

        ActionFailed(String message) {
            super(message);
        }
    }

    private final PlatformClients clients;

    ResponseActions(PlatformClients clients) {
        this.clients = clients;
    }

    String revokeApiKey(String token, String keyId) throws ActionFailed {
        call(AUTH, "revoke API key " + keyId, () -> clients.auth().delete().uri("/api/v1/keys/{id}", keyId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve().toBodilessEntity());
        return "revoked API key " + keyId + " at " + AUTH;
    }

    String disableKmsKey(String token, String keyId) throws ActionFailed {
        call(KMS, "disable key " + keyId, () -> clients.kms().post().uri("/kms/v1/keys/{id}/disable", keyId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve().toBodilessEntity());
        return "disabled key " + keyId + " at " + KMS;
    }

    String deprecateSecretVersion(String token, String secretId, int version, String reason) throws ActionFailed {
        call(VAULT, "deprecate version " + version + " of secret " + secretId, () -> clients.vault().patch()
                .uri("/v1/versioned-secrets/{id}/versions/{version}/state", secretId, version)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("state", "deprecated", "reason", reason)).retrieve().toBodilessEntity());
        return "deprecated version " + version + " of secret " + secretId + " at " + VAULT;
    }

    String postIncident(String url, Map<String, Object> incident) throws ActionFailed {
        call(url, "POST the incident", () -> clients.anywhere().post().uri(url)
                .contentType(MediaType.APPLICATION_JSON).body(incident).retrieve().toBodilessEntity());
        return "posted the incident to " + url;
    }

    /** A token for the tenant's responder client (OAuth2 client credentials at auth-service). */
    String responderToken(String clientId, String clientSecret) throws ActionFailed {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "client_credentials");
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        JsonNode answer = call(AUTH, "issue a token to responder client " + clientId, () -> clients.auth().post()
                .uri("/oauth2/token").header(HttpHeaders.AUTHORIZATION, "Basic " + basic)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form).retrieve().body(JsonNode.class));
        String token = answer == null ? "" : answer.path("access_token").asString("");
        if (token.isBlank()) {
            throw new ActionFailed(AUTH + " answered the token request of responder client " + clientId
                    + " without an access_token");
        }
        return token;
    }

    private interface Call<T> {
        T run();
    }

    private static <T> T call(String where, String what, Call<T> call) throws ActionFailed {
        try {
            return call.run();
        } catch (HttpStatusCodeException e) {
            throw new ActionFailed(where + " refused to " + what + ": " + e.getStatusCode().value());
        } catch (RestClientException | IllegalArgumentException e) {
            throw new ActionFailed("could not " + what + " at " + where + ": " + e.getClass().getSimpleName());
        }
    }
}
