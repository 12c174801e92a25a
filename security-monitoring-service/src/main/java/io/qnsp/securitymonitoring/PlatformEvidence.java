package io.qnsp.securitymonitoring;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the platform's services hold about the caller's tenant, read with the caller's own token (so each service
 * scopes the answer to the tenant and checks the caller's scopes): its API keys at auth-service, its keys at
 * kms-service and its DataHub webhooks at audit-service.
 */
@Component
public class PlatformEvidence {

    static final String AUTH = "auth-service";
    static final String KMS = "kms-service";
    static final String AUDIT = "audit-service";
    private static final int PAGE = 100;
    private static final Logger log = LoggerFactory.getLogger(PlatformEvidence.class);

    /** An API key as auth-service lists it. */
    public record ApiKey(String id, String name, String status, List<String> scopes, Instant createdAt,
                         @Nullable Instant lastUsedAt, @Nullable Instant expiresAt) {
    }

    /** A kms key and when its material was last created (rotatedAt, else createdAt). */
    public record KmsKey(String keyId, String name, String state, Instant createdAt, @Nullable Instant rotatedAt) {

        public Instant materialSince() {
            return rotatedAt == null ? createdAt : rotatedAt;
        }
    }

    /** A DataHub webhook of the tenant, as audit-service lists it. */
    public record Webhook(String id, String name, String url, boolean active) {
    }

    private final PlatformClients clients;

    PlatformEvidence(PlatformClients clients) {
        this.clients = clients;
    }

    /** Every API key of the tenant, whatever its status. */
    public List<ApiKey> apiKeys(String token) {
        return call(AUTH, () -> {
            List<ApiKey> keys = new ArrayList<>();
            for (int page = 1; ; page++) {
                JsonNode body = get(clients.auth(), token, "/api/v1/keys?status=all&pageSize=" + PAGE + "&page="
                        + page);
                for (JsonNode k : body.get("data")) {
                    List<String> scopes = new ArrayList<>();
                    k.path("scopes").forEach(s -> scopes.add(s.asString()));
                    keys.add(new ApiKey(k.get("id").asString(), k.path("name").asString(""),
                            k.get("status").asString(), scopes, Instant.parse(k.get("createdAt").asString()),
                            instant(k.get("lastUsedAt")), instant(k.get("expiresAt"))));
                }
                if (page >= body.path("pagination").path("totalPages").asInt(0)) {
                    return keys;
                }
            }
        });
    }

    /** Every DataHub webhook of the tenant at audit-service. */
    public List<Webhook> webhooks(String token) {
        return call(AUDIT, () -> {
            List<Webhook> hooks = new ArrayList<>();
            for (int page = 1; ; page++) {
                JsonNode body = get(clients.audit(), token, "/api/v1/webhooks?pageSize=" + PAGE + "&page=" + page);
                for (JsonNode w : body.get("data")) {
                    hooks.add(new Webhook(w.get("id").asString(), w.path("name").asString(""),
                            w.get("url").asString(), w.path("active").asBoolean(true)));
                }
                if (page >= body.path("pagination").path("totalPages").asInt(0)) {
                    return hooks;
                }
            }
        });
    }

    /** Every key of the tenant at kms-service (deleted ones are not listed), with its rotation date. */
    public List<KmsKey> kmsKeys(String token) {
        return call(KMS, () -> {
            List<KmsKey> keys = new ArrayList<>();
            for (int offset = 0; ; offset += PAGE) {
                JsonNode page = get(clients.kms(), token, "/kms/v1/keys?limit=" + PAGE + "&offset=" + offset);
                JsonNode listed = page.get("keys");
                for (JsonNode summary : listed) {
                    JsonNode k = get(clients.kms(), token, "/kms/v1/keys/" + summary.get("keyId").asString());
                    keys.add(new KmsKey(k.get("keyId").asString(), k.path("name").asString(""),
                            k.get("state").asString(), Instant.parse(k.get("createdAt").asString()),
                            instant(k.get("rotatedAt"))));
                }
                if (listed.size() < PAGE) {
                    return keys;
                }
            }
        });
    }

    private static JsonNode get(RestClient client, String token, String path) {
        JsonNode body = client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve()
                .body(JsonNode.class);
        if (body == null) {
            throw new RestClientException("empty answer to GET " + path);
        }
        return body;
    }

    private static @Nullable Instant instant(@Nullable JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : Instant.parse(node.asString());
    }

    private static <T> T call(String service, Supplier<T> call) {
        try {
            return call.get();
        } catch (ResourceAccessException e) {
            log.warn("{} cannot be reached: {}", service, e.getMessage());
            throw new DependencyUnavailable(service, "cannot be reached");
        } catch (HttpStatusCodeException e) {
            int status = e.getStatusCode().value();
            if (status == 401 || status == 403) {
                throw new DependencyDenied(service, status);
            }
            log.warn("{} answered {}", service, status);
            throw new DependencyUnavailable(service, "answered " + status);
        } catch (RestClientException | NullPointerException | IllegalArgumentException
                 | java.time.format.DateTimeParseException e) {
            log.warn("{} gave an answer that cannot be read: {}", service, e.toString());
            throw new DependencyUnavailable(service, "gave an unreadable answer");
        }
    }
}
