package io.qnsp.auth.federation;

import io.qnsp.test.token.TestTokens;
import org.awaitility.Awaitility;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Drives the federated audit API of a running auth-service over real HTTP as one caller; never throws on a status. */
final class FederationClient {

    static final String BASE = "/auth/federation/audit";

    private final RestClient http;

    private FederationClient(int port, String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {
                });
        if (token != null) {
            builder.defaultHeader("Authorization", "Bearer " + token);
        }
        this.http = builder.build();
    }

    /** A caller of the tenant holding both federation scopes. */
    static FederationClient readWrite(int port, String tenant) {
        return as(port, TestTokens.forTenant(tenant).scopes("federation:read", "federation:write").mint());
    }

    /** A tenant administrator (the admin role holds every scope). */
    static FederationClient admin(int port, String tenant) {
        return as(port, TestTokens.forTenant(tenant).roles("admin").mint());
    }

    static FederationClient as(int port, String token) {
        return new FederationClient(port, token);
    }

    static FederationClient anonymous(int port) {
        return new FederationClient(port, null);
    }

    ResponseEntity<JsonNode> record(Map<String, ?> event) {
        return post(BASE + "/events", event);
    }

    /** Records an event that must be accepted; returns its id. */
    String recorded(String eventType, String provider, String userId, String outcome, Instant timestamp,
                    Map<String, ?> metadata, String targetTenantId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventType", eventType);
        event.put("provider", provider);
        event.put("userId", userId);
        event.put("outcome", outcome);
        if (timestamp != null) {
            event.put("timestamp", timestamp.toString());
        }
        if (metadata != null) {
            event.put("metadata", metadata);
        }
        if (targetTenantId != null) {
            event.put("targetTenantId", targetTenantId);
        }
        ResponseEntity<JsonNode> response = record(event);
        if (response.getStatusCode().value() != 201) {
            throw new IllegalStateException("recording failed: " + response);
        }
        return response.getBody().get("eventId").asString();
    }

    ResponseEntity<JsonNode> query(Map<String, ?> body) {
        return post(BASE + "/query", body);
    }

    /** Follows nextCursor from the first page to the last; every page must answer 200. */
    List<JsonNode> allPages(Map<String, ?> filters) {
        List<JsonNode> pages = new ArrayList<>();
        Map<String, Object> body = new LinkedHashMap<>(filters);
        for (int guard = 0; guard < 1000; guard++) {
            ResponseEntity<JsonNode> page = query(body);
            if (page.getStatusCode().value() != 200) {
                throw new IllegalStateException("query failed: " + page);
            }
            pages.add(page.getBody());
            JsonNode next = page.getBody().get("nextCursor");
            if (next == null || next.isNull()) {
                return pages;
            }
            body.put("cursor", next.asString());
        }
        throw new IllegalStateException("more than 1000 pages");
    }

    ResponseEntity<JsonNode> crossTenant(String query) {
        return get(BASE + "/cross-tenant" + query);
    }

    ResponseEntity<JsonNode> requestReport(Map<String, ?> body) {
        return post(BASE + "/reports", body);
    }

    ResponseEntity<JsonNode> reports() {
        return get(BASE + "/reports");
    }

    ResponseEntity<JsonNode> report(String reportId) {
        return get(BASE + "/reports/" + reportId);
    }

    ResponseEntity<byte[]> download(String reportId) {
        return http.get().uri(BASE + "/reports/{id}/download", reportId).retrieve().toEntity(byte[].class);
    }

    /** Polls a report until it leaves pending (generation runs in the background); fails after 30 seconds. */
    JsonNode awaitReport(String reportId) {
        return await(reportId, r -> !"pending".equals(r.get("status").asString()));
    }

    JsonNode await(String reportId, Predicate<JsonNode> done) {
        return Awaitility.await("report " + reportId).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    ResponseEntity<JsonNode> report = report(reportId);
                    if (report.getStatusCode().value() != 200) {
                        throw new IllegalStateException("report lookup failed: " + report);
                    }
                    return report.getBody();
                }, done::test);
    }

    ResponseEntity<JsonNode> get(String path) {
        return http.get().uri(path).retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> post(String path, Object body) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> postRaw(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(JsonNode.class);
    }
}
