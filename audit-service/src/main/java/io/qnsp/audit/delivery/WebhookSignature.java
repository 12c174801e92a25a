package io.qnsp.audit.delivery;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Webhook signatures in the Standard Webhooks scheme: headers {@code webhook-id}, {@code webhook-timestamp} (Unix
 * seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256>} over {@code id + "." + timestamp + "." + body},
 * keyed with the base64 part of a {@code whsec_…} secret. Receivers can verify with any Standard Webhooks library.
 */
public final class WebhookSignature {

    public static final String SECRET_PREFIX = "whsec_";
    /** Fewer key bytes than this are refused. */
    public static final int MIN_KEY_BYTES = 8;
    public static final int MAX_KEY_BYTES = 64;
    private static final int GENERATED_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new secret: {@code whsec_} + base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[GENERATED_KEY_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * Whether a secret can key signatures: the optional {@code whsec_} prefix, then base64 of 8 to 64 bytes.
     */
    public static boolean isValidSecret(String secret) {
        try {
            int length = key(secret).length;
            return length >= MIN_KEY_BYTES && length <= MAX_KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code webhook-signature} header value. */
    public static String sign(String secret, String messageId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] signature = mac.doFinal((messageId + "." + timestampSeconds + "." + body)
                    .getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Whether the headers sign the body with the secret: one of the space-separated {@code v1,} signatures matches
     * (compared in constant time) and the timestamp is within {@code tolerance} of {@code now}.
     */
    public static boolean verify(String secret, String messageId, String timestamp, String signatures, String body,
                                 Instant now, Duration tolerance) {
        if (messageId == null || timestamp == null || signatures == null || body == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = sign(secret, messageId, seconds, body).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String candidate : signatures.trim().split(" +")) {
            matched |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return matched;
    }

    private static byte[] key(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("no secret");
        }
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
