package io.qnsp.kms.key;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The service's ciphertext: a header naming the key and version, then the algorithm's payload, so that decrypt
 * needs no key id. Layout: {@code 'Q' 0x01 | key id (16 bytes) | version (4 bytes, big-endian) | payload}. The
 * header and the canonical encryption context are the associated data the payload is bound to, so neither can be
 * changed without the decryption failing.
 */
record Ciphertext(UUID keyId, int version, byte[] payload) {

    static final int HEADER_BYTES = 22;
    private static final byte MAGIC = 'Q';
    private static final byte FORMAT = 1;

    byte[] header() {
        return header(keyId, version);
    }

    static byte[] header(UUID keyId, int version) {
        return ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).put(FORMAT).putLong(keyId.getMostSignificantBits())
                .putLong(keyId.getLeastSignificantBits()).putInt(version).array();
    }

    byte[] encode() {
        return ByteBuffer.allocate(HEADER_BYTES + payload.length).put(header()).put(payload).array();
    }

    /** @throws InvalidCiphertext when the bytes are not a ciphertext of this service */
    static Ciphertext decode(byte[] bytes) {
        if (bytes.length <= HEADER_BYTES || bytes[0] != MAGIC || bytes[1] != FORMAT) {
            throw new InvalidCiphertext();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 2, HEADER_BYTES - 2);
        UUID keyId = new UUID(buffer.getLong(), buffer.getLong());
        int version = buffer.getInt();
        if (version < 1) {
            throw new InvalidCiphertext();
        }
        return new Ciphertext(keyId, version, Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
    }

    /**
     * The associated data: the header, then each context entry (sorted by name) as length-prefixed UTF-8 name and
     * value, so that {@code {"a":"bc"}} and {@code {"ab":"c"}} differ, and the order the caller sent does not matter.
     */
    static byte[] associatedData(byte[] header, Map<String, String> context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        for (Map.Entry<String, String> entry : new TreeMap<>(context).entrySet()) {
            writeLengthPrefixed(out, entry.getKey());
            writeLengthPrefixed(out, entry.getValue());
        }
        return out.toByteArray();
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
