package io.qnsp.cryptoinventory.inventory;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * kms-service's API as the caller sees it: every call carries the caller's own bearer token, so kms-service scopes
 * it to the caller's tenant and the inventory never holds a token that could read another tenant's keys.
 */
@Component
class KmsKeys {

    static final String KMS = "kms-service";
    private static final int PAGE = 100;
    private static final Logger log = LoggerFactory.getLogger(KmsKeys.class);

    private final RestClient kms;

    KmsKeys(InventorySettings settings) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout()).build());
        requests.setReadTimeout(settings.readTimeout());
        this.kms = RestClient.builder().baseUrl(settings.kmsUrl().toString()).requestFactory(requests).build();
    }

    /** The tenant's keys (deleted ones are not listed by kms-service), each with the algorithms of its versions. */
    List<CryptoAsset> keys(String token) {
        return call(() -> {
            List<CryptoAsset> assets = new ArrayList<>();
            for (int offset = 0; ; offset += PAGE) {
                JsonNode page = get(token, "/kms/v1/keys?limit=" + PAGE + "&offset=" + offset);
                JsonNode keys = page.get("keys");
                for (JsonNode summary : keys) {
                    assets.add(key(get(token, "/kms/v1/keys/" + summary.get("keyId").asString())));
                }
                if (keys.size() < PAGE) {
                    return assets;
                }
            }
        });
    }

    private static CryptoAsset key(JsonNode key) {
        String algorithm = key.get("algorithm").asString();
        Set<String> former = new LinkedHashSet<>();
        for (JsonNode version : key.get("versions")) {
            String used = version.get("algorithm").asString();
            if (!used.equals(algorithm)) {
                former.add(used);
            }
        }
        String category = switch (key.get("usage").asString()) {
            case "encrypt_decrypt" -> "encryption";
            case "sign_verify" -> "signing";
            case "key_encapsulation" -> "key_exchange";
            default -> null;
        };
        return new CryptoAsset(key.get("keyId").asString(), CryptoAsset.KMS_KEY, key.get("name").asString(),
                algorithm, List.copyOf(former), key.get("state").asString(), category,
                instant(key.get("createdAt")), instant(key.get("rotatedAt")), null);
    }

    /** kms-service's migration readiness for the tenant. */
    KmsReadiness readiness(String token) {
        return call(() -> {
            JsonNode readiness = get(token, "/kms/v1/crypto-agility/migration-readiness");
            JsonNode status = readiness.get("keyMigrationStatus");
            return new KmsReadiness(readiness.get("overallScore").asDouble(), status.get("total").asLong(),
                    status.get("migrated").asLong(), status.get("pendingMigration").asLong(),
                    status.get("blocked").asLong());
        });
    }

    /** kms-service's quantum risk of each algorithm it knows, as its risk assessment states it today. */
    Map<String, String> risks(String token) {
        return call(() -> {
            Map<String, String> risks = new LinkedHashMap<>();
            for (JsonNode row : get(token, "/kms/v1/crypto-agility/risk-assessment").get("algorithms")) {
                risks.put(row.get("algorithm").asString(), row.get("quantumRisk").asString().toLowerCase(Locale.ROOT));
            }
            return risks;
        });
    }

    /** The tenant's BYOHSM connections (the caller's tenant has the byohsm add-on). */
    List<CryptoAsset> hsmConnections(String token) {
        return call(() -> {
            List<CryptoAsset> connections = new ArrayList<>();
            for (JsonNode c : get(token, "/kms/v1/byohsm/connections").get("connections")) {
                connections.add(new CryptoAsset(c.get("connectionId").asString(), CryptoAsset.HSM_CONNECTION,
                        c.get("name").asString(), null, List.of(), c.get("status").asString(), null, null, null,
                        null));
            }
            return connections;
        });
    }

    private JsonNode get(String token, String path) {
        JsonNode body = kms.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve()
                .body(JsonNode.class);
        if (body == null) {
            throw new RestClientException("empty answer to GET " + path);
        }
        return body;
    }

    private static @Nullable Instant instant(@Nullable JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asString());
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (ResourceAccessException e) {
            log.warn("{} cannot be reached: {}", KMS, e.getMessage());
            throw new InventoryUnavailable(KMS, "cannot be reached");
        } catch (HttpStatusCodeException e) {
            int status = e.getStatusCode().value();
            if (status == 401 || status == 403) {
                throw new KmsAccessDenied(status);
            }
            log.warn("{} answered {}", KMS, status);
            throw new InventoryUnavailable(KMS, "answered " + status);
        } catch (RestClientException | NullPointerException | IllegalArgumentException e) {
            log.warn("{} gave an answer that cannot be read: {}", KMS, e.toString());
            throw new InventoryUnavailable(KMS, "gave an unreadable answer");
        }
    }
}
