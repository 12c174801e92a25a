package io.qnsp.auth.federation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Issues and reads the opaque keyset cursors of event queries: the position of the last event returned (its time
 * and id), the fingerprint of the filters it was issued for, and an HMAC over both and the tenant. A cursor edited by
 * the client, issued to another tenant or for other filters is refused rather than silently returning other rows.
 */
@Component
class QueryCursors {

    private static final Logger log = LoggerFactory.getLogger(QueryCursors.class);

    private static final byte VERSION = 1;
    private static final int FINGERPRINT_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int PAYLOAD_BYTES = 1 + Long.BYTES + 2 * Long.BYTES + FINGERPRINT_BYTES;
    private static final int TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;
    static final int MAX_LENGTH = 128;

    /** Where the previous page ended. */
    record Position(Instant occurredAt, UUID id) {
    }

    private final SecretKeySpec key;

    QueryCursors(FederationAuditSettings settings) {
        this.key = new SecretKeySpec(secret(settings.cursorSecret()), "HmacSHA256");
    }

    private static byte[] secret(String configured) {
        if (configured == null || configured.isBlank()) {
            log.warn("qnsp.auth.federation.cursor-secret is not set: query cursors are signed with a random key and"
                    + " are valid on this instance until it restarts");
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(configured.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("qnsp.auth.federation.cursor-secret must be base64");
        }
        if (decoded.length < 32) {
            throw new IllegalStateException("qnsp.auth.federation.cursor-secret must hold at least 32 bytes");
        }
        return decoded;
    }

    /** The fingerprint of a query's filters (not its tenant, which the MAC binds, nor its page size). */
    static byte[] fingerprint(String canonicalFilters) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalFilters.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, FINGERPRINT_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String issue(String tenantId, byte[] fingerprint, Position position) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, position.occurredAt());
        ByteBuffer token = ByteBuffer.allocate(TOKEN_BYTES);
        token.put(VERSION).putLong(micros)
                .putLong(position.id().getMostSignificantBits()).putLong(position.id().getLeastSignificantBits())
                .put(fingerprint);
        token.put(mac(tenantId, Arrays.copyOf(token.array(), PAYLOAD_BYTES)));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    Position read(String tenantId, byte[] fingerprint, String cursor) {
        byte[] token;
        try {
            token = cursor.length() > MAX_LENGTH ? null : Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            token = null;
        }
        // the decoder ignores the unused low bits of the last character: only the canonical spelling is ours
        if (token != null && !Base64.getUrlEncoder().withoutPadding().encodeToString(token).equals(cursor)) {
            token = null;
        }
        if (token == null || token.length != TOKEN_BYTES || token[0] != VERSION) {
            throw new InvalidCursor("is not a cursor issued by this service");
        }
        byte[] payload = Arrays.copyOf(token, PAYLOAD_BYTES);
        byte[] presented = Arrays.copyOfRange(token, PAYLOAD_BYTES, TOKEN_BYTES);
        if (!MessageDigest.isEqual(mac(tenantId, payload), presented)) {
            throw new InvalidCursor("is not a cursor issued by this service for this tenant");
        }
        ByteBuffer fields = ByteBuffer.wrap(payload, 1, PAYLOAD_BYTES - 1);
        long micros = fields.getLong();
        UUID id = new UUID(fields.getLong(), fields.getLong());
        byte[] issuedFor = new byte[FINGERPRINT_BYTES];
        fields.get(issuedFor);
        if (!MessageDigest.isEqual(issuedFor, fingerprint)) {
            throw new InvalidCursor("was issued for different filters or order; start again without a cursor");
        }
        return new Position(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
    }

    private byte[] mac(String tenantId, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update("qnsp.federation.cursor".getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(tenantId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Arrays.copyOf(mac.doFinal(payload), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
