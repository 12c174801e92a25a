package io.qnsp.storage;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Calls a running storage-service over real HTTP as one caller; never throws on an error status. */
public final class StorageApi extends ServiceApi {

    /** Every storage scope. */
    public static final String[] ALL_SCOPES = {StorageScopes.READ, StorageScopes.WRITE, StorageScopes.GOVERN,
            StorageScopes.LEGAL_HOLD};

    private final RestClient http;
    private final int port;
    private final String tenant;

    private StorageApi(int port, String tenant, RestClient http) {
        super(http);
        this.http = http;
        this.port = port;
        this.tenant = tenant;
    }

    public static StorageApi withScopes(int port, String tenant, String... scopes) {
        return new StorageApi(port, tenant,
                client(port, TestTokens.forTenant(tenant).subject("user-1").scopes(scopes).mint()));
    }

    public String tenant() {
        return tenant;
    }

    /** A caller of a new tenant holding every storage scope. */
    public static StorageApi newTenant(int port) {
        return withScopes(port, "tenant-" + java.util.UUID.randomUUID(), ALL_SCOPES);
    }

    /** An object's path: the key percent-encoded as one segment, slashes included. */
    public static String objectPath(String bucket, String key) {
        return "/storage/v1/buckets/" + bucket + "/objects/"
                + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public void createBucket(String bucket) {
        expect(putBucket(bucket), 201);
    }

    public ResponseEntity<JsonNode> putBucket(String bucket) {
        return http.put().uri(java.net.URI.create(base() + "/storage/v1/buckets/" + bucket)).retrieve()
                .toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> put(String bucket, String key, byte[] content, String contentType) {
        return http.put().uri(java.net.URI.create(base() + objectPath(bucket, key)))
                .contentType(MediaType.parseMediaType(contentType)).body(content).retrieve().toEntity(JsonNode.class);
    }

    /** Uploads and answers the object's id; fails the test when refused. */
    public String putText(String bucket, String key, String text) {
        ResponseEntity<JsonNode> put = put(bucket, key, text.getBytes(StandardCharsets.UTF_8), "text/plain");
        if (put.getStatusCode().value() != 201 && put.getStatusCode().value() != 200) {
            throw new AssertionError("upload refused: " + put.getStatusCode() + " " + put.getBody());
        }
        return put.getBody().get("objectId").asString();
    }

    public ResponseEntity<byte[]> download(String bucket, String key) {
        return http.get().uri(java.net.URI.create(base() + objectPath(bucket, key))).retrieve().toEntity(byte[].class);
    }

    public ResponseEntity<JsonNode> deleteObject(String bucket, String key) {
        return http.delete().uri(java.net.URI.create(base() + objectPath(bucket, key))).retrieve()
                .toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> metadata(String bucket, String key) {
        return http.get().uri(java.net.URI.create(base() + objectPath(bucket, key) + "/metadata")).retrieve()
                .toEntity(JsonNode.class);
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
