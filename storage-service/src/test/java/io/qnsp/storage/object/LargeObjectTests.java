package io.qnsp.storage.object;

import io.qnsp.storage.StorageApi;
import io.qnsp.storage.StorageIntegrationTest;
import io.qnsp.storage.StorageScopes;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB object goes up and comes back down through the service, byte for byte, while the JVM running both the
 * service and this client has a heap capped at 320 MiB (surefire's large-objects execution): the body is streamed
 * through encryption to the volume and back, never held in memory. The heap's peak is measured and printed.
 */
@StorageIntegrationTest
class LargeObjectTests {

    static final long SIZE = 1L << 30;
    static final long HEAP_BUDGET = 512L * 1024 * 1024;

    @LocalServerPort
    int port;

    @Test
    void aOneGibibyteObjectIsUploadedAndDownloadedWithTheHeapUnder512MiB() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("the heap this test runs with").isLessThan(HEAP_BUDGET);
        String tenant = "tenant-" + UUID.randomUUID();
        StorageApi api = StorageApi.withScopes(port, tenant, StorageApi.ALL_SCOPES);
        api.createBucket("big");
        String token = TestTokens.forTenant(tenant).subject("user-1")
                .scopes(StorageScopes.READ, StorageScopes.WRITE).mint();
        URI object = URI.create("http://localhost:" + port + StorageApi.objectPath("big", "one-gib.bin"));
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long started = System.nanoTime();

        HttpURLConnection upload = (HttpURLConnection) object.toURL().openConnection();
        upload.setRequestMethod("PUT");
        upload.setDoOutput(true);
        upload.setFixedLengthStreamingMode(SIZE);
        upload.setRequestProperty("Authorization", "Bearer " + token);
        upload.setRequestProperty("Content-Type", "application/octet-stream");
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = upload.getOutputStream()) {
            SplittableRandom random = new SplittableRandom(42);
            byte[] buffer = new byte[64 * 1024];
            for (long written = 0; written < SIZE; written += buffer.length) {
                for (int i = 0; i < buffer.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        buffer[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                sent.update(buffer);
                out.write(buffer);
            }
        }
        assertThat(upload.getResponseCode()).isEqualTo(201);
        upload.getInputStream().close();
        long uploaded = System.nanoTime();

        HttpURLConnection download = (HttpURLConnection) object.toURL().openConnection();
        download.setRequestProperty("Authorization", "Bearer " + token);
        assertThat(download.getResponseCode()).isEqualTo(200);
        assertThat(download.getContentLengthLong()).isEqualTo(SIZE);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = download.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.update(buffer, 0, n);
                count += n;
            }
        }
        long downloaded = System.nanoTime();

        assertThat(count).isEqualTo(SIZE);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        System.out.printf("1 GiB object: upload %.1f s, download %.1f s, heap max %d MiB, peak heap used %d MiB%n",
                (uploaded - started) / 1e9, (downloaded - uploaded) / 1e9,
                Runtime.getRuntime().maxMemory() >> 20, peakHeap >> 20);
        assertThat(peakHeap).isLessThan(HEAP_BUDGET);
        assertThat(api.deleteObject("big", "one-gib.bin").getStatusCode().value()).isEqualTo(204);
    }
}
