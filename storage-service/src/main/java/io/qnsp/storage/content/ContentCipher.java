package io.qnsp.storage.content;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The at-rest format of an object's content: a header ({@code QNSPOBJ1}, the chunk size, a random 32-byte salt) and
 * the plaintext cut into fixed-size chunks, each sealed with AES-256-GCM. The key of an object is derived from its
 * data key and salt (HKDF-SHA256), so nonces need only be unique within the object: a chunk's nonce is its index and
 * a flag marking the last chunk, so chunks cannot be reordered, and a file cut short at a chunk boundary does not
 * open (its new last chunk was not sealed as last). The associated data binds the tenant and the content version.
 * Content is encrypted and decrypted as a stream: two chunks in memory at a time, whatever the object's size.
 */
public final class ContentCipher {

    static final byte[] MAGIC = "QNSPOBJ1".getBytes(StandardCharsets.US_ASCII);
    static final int SALT_BYTES = 32;
    static final int HEADER_BYTES = MAGIC.length + 4 + SALT_BYTES;
    static final int TAG_BYTES = 16;
    private static final int TAG_BITS = 128;
    private static final byte[] KEY_INFO = "qnsp-storage object content key".getBytes(StandardCharsets.US_ASCII);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What was written: the plaintext's size and its MD5 (the ETag), lower-case hex. */
    public record Written(long size, String md5) {
    }

    /** The content was longer than allowed; what was written is incomplete and must be discarded. */
    public static final class TooLarge extends IOException {

        TooLarge(long limit) {
            super("content longer than " + limit + " bytes");
        }
    }

    private ContentCipher() {
    }

    /** The associated data of a content version: nothing sealed for one tenant or version opens as another. */
    public static byte[] associatedData(String tenantId, String versionId) {
        return ("qnsp-storage\n" + tenantId + "\n" + versionId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encrypts everything {@code plaintext} yields into {@code out}.
     *
     * @throws TooLarge when the plaintext is longer than {@code maxSize}
     */
    public static Written encrypt(InputStream plaintext, OutputStream out, byte[] dataKey, byte[] associatedData,
                                  int chunkSize, long maxSize) throws IOException {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        out.write(ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(chunkSize).put(salt).array());
        SecretKeySpec key = objectKey(dataKey, salt);
        MessageDigest md5 = md5();
        Cipher cipher = gcm();
        byte[] current = new byte[chunkSize];
        byte[] next = new byte[chunkSize];
        byte[] sealed = new byte[chunkSize + TAG_BYTES];
        int currentLength = readFully(plaintext, current);
        long size = 0;
        for (long index = 0; ; index++) {
            int nextLength = currentLength == chunkSize ? readFully(plaintext, next) : 0;
            boolean last = nextLength == 0;
            size += currentLength;
            if (size > maxSize) {
                throw new TooLarge(maxSize);
            }
            md5.update(current, 0, currentLength);
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce(index, last)));
                cipher.updateAAD(associatedData);
                int n = cipher.doFinal(current, 0, currentLength, sealed, 0);
                out.write(sealed, 0, n);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable", e);
            }
            if (last) {
                break;
            }
            byte[] swap = current;
            current = next;
            next = swap;
            currentLength = nextLength;
        }
        Arrays.fill(current, (byte) 0);
        Arrays.fill(next, (byte) 0);
        return new Written(size, HexFormat.of().formatHex(md5.digest()));
    }

    /** A stream of the plaintext of encrypted content; it fails (IOException) at the first chunk that does not open. */
    public static InputStream decrypt(InputStream encrypted, byte[] dataKey, byte[] associatedData) throws IOException {
        return new Decrypting(encrypted, dataKey, associatedData);
    }

    static SecretKeySpec objectKey(byte[] dataKey, byte[] salt) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = extract.doFinal(dataKey);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update(KEY_INFO);
            expand.update((byte) 1);
            byte[] okm = expand.doFinal();
            Arrays.fill(prk, (byte) 0);
            return new SecretKeySpec(okm, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    static byte[] nonce(long index, boolean last) {
        return ByteBuffer.allocate(12).putLong(index).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) (last ? 1 : 0)).array();
    }

    static int readFully(InputStream in, byte[] buffer) throws IOException {
        int total = 0;
        while (total < buffer.length) {
            int n = in.read(buffer, total, buffer.length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    private static Cipher gcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Opens chunk after chunk, reading one chunk ahead to know which is the last. */
    private static final class Decrypting extends InputStream {

        private final InputStream in;
        private final SecretKeySpec key;
        private final byte[] associatedData;
        private final Cipher cipher = gcm();
        private byte[] current;
        private byte[] next;
        private int currentLength;
        private final byte[] plain;
        private int plainPosition;
        private int plainLength;
        private long index;
        private boolean done;

        Decrypting(InputStream in, byte[] dataKey, byte[] associatedData) throws IOException {
            this.in = in;
            this.associatedData = associatedData;
            byte[] header = new byte[HEADER_BYTES];
            try {
                new DataInputStream(in).readFully(header);
            } catch (EOFException e) {
                throw new IOException("stored content is shorter than its header");
            }
            ByteBuffer fields = ByteBuffer.wrap(header);
            byte[] magic = new byte[MAGIC.length];
            fields.get(magic);
            int chunkSize = fields.getInt();
            if (!Arrays.equals(magic, MAGIC) || chunkSize < 1 || chunkSize > 64 * 1024 * 1024) {
                throw new IOException("stored content has no valid header");
            }
            byte[] salt = new byte[SALT_BYTES];
            fields.get(salt);
            this.key = objectKey(dataKey, salt);
            this.current = new byte[chunkSize + TAG_BYTES];
            this.next = new byte[chunkSize + TAG_BYTES];
            this.plain = new byte[chunkSize];
            this.currentLength = readFully(in, current);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (plainPosition == plainLength) {
                if (done) {
                    return -1;
                }
                openNextChunk();
            }
            int n = Math.min(length, plainLength - plainPosition);
            System.arraycopy(plain, plainPosition, buffer, offset, n);
            plainPosition += n;
            return n;
        }

        private void openNextChunk() throws IOException {
            if (currentLength < TAG_BYTES) {
                throw new IOException("stored content ends inside a chunk");
            }
            int nextLength = currentLength == current.length ? readFully(in, next) : 0;
            boolean last = nextLength == 0;
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce(index, last)));
                cipher.updateAAD(associatedData);
                plainLength = cipher.doFinal(current, 0, currentLength, plain, 0);
            } catch (GeneralSecurityException e) {
                throw new IOException("chunk " + index + " of stored content does not open: it was altered, cut "
                        + "short or belongs to another object");
            }
            plainPosition = 0;
            index++;
            done = last;
            byte[] swap = current;
            current = next;
            next = swap;
            currentLength = nextLength;
        }

        @Override
        public void close() throws IOException {
            Arrays.fill(plain, (byte) 0);
            in.close();
        }
    }
}
