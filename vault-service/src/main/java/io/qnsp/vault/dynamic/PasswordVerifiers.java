package io.qnsp.vault.dynamic;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What a server stores instead of a password, computed by the vault so that the password itself never travels in
 * a statement, where a server's statement log or an error could keep it: PostgreSQL's SCRAM-SHA-256 verifier
 * (RFC 5802/7677, as {@code CREATE ROLE ... PASSWORD 'SCRAM-SHA-256$...'} accepts it) and MariaDB's
 * {@code mysql_native_password} hash.
 */
final class PasswordVerifiers {

    private static final int SCRAM_ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordVerifiers() {
    }

    /** {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}. The password is ASCII, so SASLprep keeps it. */
    static String scramSha256(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        try {
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, SCRAM_ITERATIONS, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder base64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + SCRAM_ITERATIONS + ":" + base64.encodeToString(salt) + "$"
                    + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    /** {@code *} and the upper-case hex of SHA1(SHA1(password)). */
    static String mysqlNative(String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            return "*" + HexFormat.of().withUpperCase().formatHex(sha1.digest(once));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
