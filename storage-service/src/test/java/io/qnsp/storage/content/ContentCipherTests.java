package io.qnsp.storage.content;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chunked at-rest format: round trips at every boundary, and every tampering that must not open. */
class ContentCipherTests {

    static final int CHUNK = 4096;
    final SecureRandom random = new SecureRandom();
    final byte[] key = randomBytes(32);
    final byte[] context = ContentCipher.associatedData("tenant-a", "version-1");

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17})
    void contentOfAnySizeComesBackAsItWasWithItsMd5(int size) throws Exception {
        byte[] plain = randomBytes(size);
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();

        ContentCipher.Written written = ContentCipher.encrypt(new ByteArrayInputStream(plain), sealed, key, context,
                CHUNK, Long.MAX_VALUE);

        assertThat(written.size()).isEqualTo(size);
        assertThat(written.md5()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(plain)));
        int chunks = Math.max(1, (size + CHUNK - 1) / CHUNK);
        assertThat(sealed.size()).isEqualTo(ContentCipher.HEADER_BYTES + size + chunks * ContentCipher.TAG_BYTES);
        assertThat(open(sealed.toByteArray(), context)).isEqualTo(plain);
    }

    @Test
    void thePlaintextIsNotInTheStoredBytes() throws Exception {
        byte[] plain = "card 4111 1111 1111 1111 and more text".repeat(200).getBytes(StandardCharsets.UTF_8);
        byte[] sealed = seal(plain);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("4111 1111").startsWith("QNSPOBJ1");
    }

    @Test
    void contentDoesNotOpenForAnotherTenantOrVersionOrKey() throws Exception {
        byte[] sealed = seal(randomBytes(CHUNK * 2));

        assertThatThrownBy(() -> open(sealed, ContentCipher.associatedData("tenant-b", "version-1")))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> open(sealed, ContentCipher.associatedData("tenant-a", "version-2")))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ContentCipher.decrypt(new ByteArrayInputStream(sealed), randomBytes(32), context)
                .readAllBytes()).isInstanceOf(IOException.class);
    }

    @Test
    void aFlippedBitASwappedChunkOrAFileCutAtAChunkBoundaryDoesNotOpen() throws Exception {
        byte[] sealed = seal(randomBytes(CHUNK * 3));
        int sealedChunk = CHUNK + ContentCipher.TAG_BYTES;
        int header = ContentCipher.HEADER_BYTES;

        byte[] flipped = sealed.clone();
        flipped[header + 100] ^= 1;
        assertThatThrownBy(() -> open(flipped, context)).isInstanceOf(IOException.class);

        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, header, swapped, header + sealedChunk, sealedChunk);
        System.arraycopy(sealed, header + sealedChunk, swapped, header, sealedChunk);
        assertThatThrownBy(() -> open(swapped, context)).isInstanceOf(IOException.class);

        byte[] cut = Arrays.copyOf(sealed, header + 2 * sealedChunk);
        assertThatThrownBy(() -> open(cut, context)).isInstanceOf(IOException.class);

        byte[] badHeader = sealed.clone();
        badHeader[0] = 'X';
        assertThatThrownBy(() -> open(badHeader, context)).isInstanceOf(IOException.class);
    }

    @Test
    void contentLongerThanTheLimitIsRefused() {
        assertThatThrownBy(() -> ContentCipher.encrypt(new ByteArrayInputStream(randomBytes(CHUNK + 1)),
                new ByteArrayOutputStream(), key, context, CHUNK, CHUNK))
                .isInstanceOf(ContentCipher.TooLarge.class);
    }

    private byte[] seal(byte[] plain) throws IOException {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        ContentCipher.encrypt(new ByteArrayInputStream(plain), sealed, key, context, CHUNK, Long.MAX_VALUE);
        return sealed.toByteArray();
    }

    private byte[] open(byte[] sealed, byte[] associatedData) throws IOException {
        try (InputStream in = ContentCipher.decrypt(new ByteArrayInputStream(sealed), key, associatedData)) {
            return in.readAllBytes();
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
