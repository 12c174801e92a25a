package io.qnsp.ratelimit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/** Drives a running ratelimit-service over real HTTP; never throws on an error status. */
public final class RateLimitClient {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

    private final RestClient http;
    private final RestClient checks;

    public RateLimitClient(int port) {
        this(port, port);
    }

    /** A client sending its checks to {@code checkPort} (the decision server's) and everything else to {@code port}. */
    public RateLimitClient(int port, int checkPort) {
        this.http = client(port);
        this.checks = checkPort == port ? http : client(checkPort);
    }

    private static RestClient client(int port) {
        return RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
    }

    public ResponseEntity<JsonNode> createKey(String name) {
        return admin().post().uri("/v1/api-keys").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", name)).retrieve().toEntity(JsonNode.class);
    }

    /** Creates a key and sets its limits, returning the key. */
    public String createKey(String name, int tokensPerSecond, int burstCapacity) {
        String key = createKey(name).getBody().get("apiKey").asString();
        ResponseEntity<JsonNode> limits = putLimits(key,
                Map.of("algorithm", "token_bucket", "tokensPerSecond", tokensPerSecond, "burstCapacity", burstCapacity));
        if (!limits.getStatusCode().is2xxSuccessful()) {
            throw new IllegalStateException("setting limits failed: " + limits);
        }
        return key;
    }

    public ResponseEntity<JsonNode> putLimits(String key, Object body) {
        return admin().put().uri("/v1/api-keys/{key}/limits", key).contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> check(String apiKey, Integer cost) {
        Map<String, Object> body = cost == null ? Map.of("apiKey", apiKey) : Map.of("apiKey", apiKey, "cost", cost);
        return checks.post().uri("/v1/check").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(JsonNode.class);
    }

    /** A raw body for {@code POST /v1/check}, to the port checks go to. */
    public ResponseEntity<JsonNode> rawCheck(String json, HttpHeaders headers) {
        return checks.post().uri("/v1/check").headers(h -> h.addAll(headers)).contentType(MediaType.APPLICATION_JSON)
                .body(json).retrieve().toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> rawPost(String path, String json, HttpHeaders headers) {
        return http.post().uri(path).headers(h -> h.addAll(headers)).contentType(MediaType.APPLICATION_JSON)
                .body(json).retrieve().toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> adminGet(String path, Object... variables) {
        return admin().get().uri(path, variables).retrieve().toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> adminPost(String path, Object... variables) {
        return admin().post().uri(path, variables).retrieve().toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> adminDelete(String path, Object... variables) {
        return admin().delete().uri(path, variables).retrieve().toEntity(JsonNode.class);
    }

    public RestClient plain() {
        return http;
    }

    private RestClient admin() {
        return http.mutate().defaultHeader("X-Admin-Token", ADMIN_TOKEN).build();
    }
}
