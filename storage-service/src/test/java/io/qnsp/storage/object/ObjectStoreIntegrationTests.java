package io.qnsp.storage.object;

import io.qnsp.storage.StorageApi;
import io.qnsp.storage.StorageIntegrationTest;
import io.qnsp.storage.StorageScopes;
import io.qnsp.storage.content.Volumes;
import io.qnsp.test.kms.FakeKms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Buckets and objects over HTTP: uploads come back byte for byte with their ETag and Content-Type, overwrites keep
 * the object and make a new version, keys with slashes work, listings page by prefix, content is encrypted on the
 * volume, tenants stay apart, and a kms-service that cannot answer stores nothing.
 */
@StorageIntegrationTest
class ObjectStoreIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    Volumes volumes;

    @Autowired
    ObjectStore store;

    @Autowired
    JdbcTemplate jdbc;

    StorageApi alice;

    @BeforeEach
    void setUp() {
        alice = StorageApi.newTenant(port);
    }

    @AfterEach
    void kmsBack() {
        FakeKms.instance().up();
    }

    @Test
    void bucketsAreCreatedOnceListedWithWhatTheyHoldAndDeletedWhenEmpty() {
        alice.createBucket("reports");
        ResponseEntity<JsonNode> again = alice.putBucket("reports");
        assertThat(again.getStatusCode().value()).isEqualTo(409);
        assertThat(again.getBody().get("error").asString()).isEqualTo("BUCKET_EXISTS");
        alice.putText("reports", "a.txt", "12345");
        alice.putText("reports", "b.txt", "123");

        JsonNode listed = expect(alice.get("/storage/v1/buckets"), 200).get("buckets");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("name").asString()).isEqualTo("reports");
        assertThat(listed.get(0).get("objectCount").asLong()).isEqualTo(2);
        assertThat(listed.get(0).get("totalBytes").asLong()).isEqualTo(8);
        assertThat(listed.get(0).get("region").asString()).isEqualTo("us-east-1");

        assertThat(alice.delete("/storage/v1/buckets/reports").getStatusCode().value()).isEqualTo(409);
        alice.deleteObject("reports", "a.txt");
        alice.deleteObject("reports", "b.txt");
        assertThat(alice.delete("/storage/v1/buckets/reports").getStatusCode().value()).isEqualTo(204);
        assertThat(alice.get("/storage/v1/buckets/reports").getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void badBucketNamesAreRefusedNamingTheField() {
        for (String name : new String[]{"ab", "Upper", "-start", "a..b", "192.168.1.1"}) {
            ResponseEntity<JsonNode> refused = alice.putBucket(name);
            assertThat(refused.getStatusCode().value()).as(name).isEqualTo(400);
            assertThat(refused.getBody().get("details").get("field").asString()).isEqualTo("bucket");
        }
    }

    @Test
    void anUploadComesBackByteForByteWithItsEtagAndContentType() throws Exception {
        alice.createBucket("photos");
        byte[] content = new byte[200_000];
        new java.util.Random(7).nextBytes(content);

        ResponseEntity<JsonNode> put = alice.put("photos", "2024/trip/beach.jpg", content, "image/jpeg");
        assertThat(put.getStatusCode().value()).isEqualTo(201);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        assertThat(put.getBody().get("etag").asString()).isEqualTo(md5);
        assertThat(put.getHeaders().getETag()).isEqualTo("\"" + md5 + "\"");
        assertThat(put.getBody().get("key").asString()).isEqualTo("2024/trip/beach.jpg");
        assertThat(put.getBody().get("size").asLong()).isEqualTo(200_000);

        ResponseEntity<byte[]> got = alice.download("photos", "2024/trip/beach.jpg");
        assertThat(got.getStatusCode().value()).isEqualTo(200);
        assertThat(got.getBody()).isEqualTo(content);
        assertThat(got.getHeaders().getContentType().toString()).isEqualTo("image/jpeg");
        assertThat(got.getHeaders().getETag()).isEqualTo("\"" + md5 + "\"");
        assertThat(got.getHeaders().getContentLength()).isEqualTo(200_000);
    }

    @Test
    void headAnswersTheHeadersOfADownloadWithoutItsBody() {
        alice.createBucket("heads");
        alice.putText("heads", "a/b.txt", "twelve bytes");

        ResponseEntity<Void> head = org.springframework.web.client.RestClient.create().head()
                .uri(java.net.URI.create("http://localhost:" + port + StorageApi.objectPath("heads", "a/b.txt")))
                .header("Authorization", "Bearer " + io.qnsp.test.token.TestTokens.forTenant(alice.tenant())
                        .subject("user-1").scopes(StorageScopes.READ).mint())
                .retrieve().toBodilessEntity();
        assertThat(head.getStatusCode().value()).isEqualTo(200);
        assertThat(head.getHeaders().getContentLength()).isEqualTo(12);
        assertThat(head.getHeaders().getContentType().toString()).startsWith("text/plain");
        assertThat(head.getHeaders().getETag()).isEqualTo(alice.download("heads", "a/b.txt").getHeaders().getETag());
        assertThat(head.getHeaders().getFirst("X-Object-Id")).isNotBlank();
    }

    @Test
    void anOverwriteKeepsTheObjectAndMakesANewVersion() {
        alice.createBucket("docs");
        String first = alice.putText("docs", "notes.txt", "first");
        JsonNode before = expect(alice.metadata("docs", "notes.txt"), 200);

        ResponseEntity<JsonNode> replaced = alice.put("docs", "notes.txt",
                "second, longer".getBytes(StandardCharsets.UTF_8), "text/markdown");

        assertThat(replaced.getStatusCode().value()).isEqualTo(200);
        assertThat(replaced.getBody().get("objectId").asString()).isEqualTo(first);
        assertThat(replaced.getBody().get("versionId").asString())
                .isNotEqualTo(before.get("versionId").asString());
        assertThat(new String(alice.download("docs", "notes.txt").getBody(), StandardCharsets.UTF_8))
                .isEqualTo("second, longer");
        assertThat(alice.download("docs", "notes.txt").getHeaders().getContentType().toString())
                .isEqualTo("text/markdown");
        // the old version's file left the volume
        assertThat(Files.exists(volumes.home().contentFile(UUID.fromString(first),
                UUID.fromString(before.get("versionId").asString()), true))).isFalse();
    }

    @Test
    void listingsPageThroughKeysByPrefixInByteOrder() {
        alice.createBucket("logs");
        for (String key : new String[]{"2024/01/a", "2024/01/b", "2024/02/a", "2025/01/a", "other"}) {
            alice.putText("logs", key, key);
        }

        JsonNode first = expect(alice.get("/storage/v1/buckets/logs/objects?prefix=2024/&limit=2"), 200);
        assertThat(first.get("objects")).extracting(o -> o.get("key").asString())
                .containsExactly("2024/01/a", "2024/01/b");
        assertThat(first.get("truncated").asBoolean()).isTrue();
        JsonNode second = expect(alice.get("/storage/v1/buckets/logs/objects?prefix=2024/&limit=2&continuationToken="
                + first.get("nextContinuationToken").asString()), 200);
        assertThat(second.get("objects")).extracting(o -> o.get("key").asString()).containsExactly("2024/02/a");
        assertThat(second.get("truncated").asBoolean()).isFalse();
        assertThat(second.get("nextContinuationToken").isNull()).isTrue();

        assertThat(alice.get("/storage/v1/buckets/logs/objects?limit=0").getBody().get("details").get("field")
                .asString()).isEqualTo("limit");
        assertThat(alice.get("/storage/v1/buckets/logs/objects?limit=abc").getStatusCode().value()).isEqualTo(400);
        assertThat(alice.get("/storage/v1/buckets/logs/objects?continuationToken=***").getBody().get("details")
                .get("field").asString()).isEqualTo("continuationToken");
    }

    @Test
    void contentIsEncryptedOnTheVolume() throws IOException {
        alice.createBucket("secrets");
        String secretText = "the launch code is 0000-SECRET-PLAINTEXT-" + UUID.randomUUID();
        String objectId = alice.putText("secrets", "code.txt", secretText.repeat(50));
        JsonNode metadata = expect(alice.metadata("secrets", "code.txt"), 200);

        Path file = volumes.home().contentFile(UUID.fromString(objectId),
                UUID.fromString(metadata.get("versionId").asString()), true);
        byte[] stored = Files.readAllBytes(file);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).startsWith("QNSPOBJ1")
                .doesNotContain("SECRET-PLAINTEXT");
        try (Stream<Path> all = Files.walk(volumes.home().root())) {
            for (Path any : all.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(any), StandardCharsets.ISO_8859_1))
                        .doesNotContain("SECRET-PLAINTEXT");
            }
        }
        // the row keeps the data key only as kms-service wrapped it
        assertThat(jdbc.queryForObject("SELECT wrapped_key FROM stored_object WHERE object_id = ?::uuid",
                String.class, objectId)).isNotBlank();
    }

    @Test
    void anotherTenantSeesNothing() {
        alice.createBucket("private");
        alice.putText("private", "x.txt", "mine");
        StorageApi mallory = StorageApi.newTenant(port);

        assertThat(mallory.download("private", "x.txt").getStatusCode().value()).isEqualTo(404);
        assertThat(mallory.metadata("private", "x.txt").getStatusCode().value()).isEqualTo(404);
        assertThat(mallory.get("/storage/v1/buckets/private/objects").getStatusCode().value()).isEqualTo(404);
        assertThat(mallory.deleteObject("private", "x.txt").getStatusCode().value()).isEqualTo(404);
        assertThat(mallory.put("private", "x.txt", new byte[]{1}, "text/plain").getStatusCode().value())
                .isEqualTo(404);
        // the same name is free for it
        mallory.createBucket("private");
        assertThat(new String(alice.download("private", "x.txt").getBody(), StandardCharsets.UTF_8))
                .isEqualTo("mine");
    }

    @Test
    void ifNoneMatchWithTheCurrentEtagAnswersNotModified() {
        alice.createBucket("cache");
        alice.putText("cache", "page.html", "<p>hi</p>");
        String etag = alice.download("cache", "page.html").getHeaders().getETag();

        ResponseEntity<byte[]> same = org.springframework.web.client.RestClient.create().get()
                .uri(java.net.URI.create("http://localhost:" + port + StorageApi.objectPath("cache", "page.html")))
                .header("Authorization", "Bearer " + io.qnsp.test.token.TestTokens.forTenant(alice.tenant())
                        .subject("user-1").scopes(StorageScopes.READ).mint())
                .header("If-None-Match", etag).retrieve().toEntity(byte[].class);
        assertThat(same.getStatusCode().value()).isEqualTo(304);
    }

    @Test
    void withKmsServiceDownAFreshTenantsUploadIsDependencyDownAndNothingIsStored() throws IOException {
        alice.createBucket("outage");
        FakeKms.instance().down();
        ResponseEntity<JsonNode> refused = alice.put("outage", "x.txt", "value".getBytes(StandardCharsets.UTF_8),
                "text/plain");
        FakeKms.instance().up();

        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(refused.getBody().get("error").asString()).isEqualTo("DEPENDENCY_DOWN");
        assertThat(refused.getBody().get("details").get("dependency").asString()).isEqualTo("kms-service");
        assertThat(alice.download("outage", "x.txt").getStatusCode().value()).isEqualTo(404);
        try (Stream<Path> temp = Files.list(Files.createDirectories(volumes.home().root().resolve("tmp")))) {
            assertThat(temp.toList()).isEmpty();
        }
    }

    @Test
    void anUploadThatBreaksOffIsRefusedAndStoresNothing() throws IOException {
        alice.createBucket("partial");
        java.io.InputStream breaksOff = new java.io.InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 100_000) {
                    return 'x';
                }
                throw new java.io.EOFException("the client went away");
            }
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.put(alice.tenant(), "partial", "half.bin",
                        "text/plain", breaksOff, "user-1"))
                .isInstanceOf(io.qnsp.common.error.InvalidField.class)
                .satisfies(e -> assertThat(((io.qnsp.common.error.InvalidField) e).details().get("field"))
                        .isEqualTo("body"));
        assertThat(alice.download("partial", "half.bin").getStatusCode().value()).isEqualTo(404);
        try (Stream<Path> temp = Files.list(Files.createDirectories(volumes.home().root().resolve("tmp")))) {
            assertThat(temp.toList()).isEmpty();
        }
    }

    @Test
    void scopesAreRequired() {
        StorageApi reader = StorageApi.withScopes(port, alice.tenant(), StorageScopes.READ);
        alice.createBucket("scoped");

        assertThat(reader.put("scoped", "x", new byte[]{1}, "text/plain").getStatusCode().value()).isEqualTo(403);
        assertThat(reader.putBucket("another").getStatusCode().value()).isEqualTo(403);
        assertThat(reader.get("/storage/v1/buckets/scoped/objects").getStatusCode().value()).isEqualTo(200);
    }
}
