package io.qnsp.vault.generate;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The named generators of new secret values (a rotation after a leak, a dynamic credential's password), each
 * drawing from {@link SecureRandom}. The password alphabet leaves out quotes, backslashes and whitespace, so a
 * generated password can go into a connection string or SQL literal without escaping surprises.
 */
public final class SecretGenerators {

    /** 32 characters from letters, digits and {@code -_.~!#%+}: about 200 bits. */
    public static final String PASSWORD = "password";
    /** 40 letters and digits. */
    public static final String ALPHANUMERIC = "alphanumeric-40";
    /** 32 random bytes as hex (64 characters). */
    public static final String HEX = "hex-64";
    /** 32 random bytes as unpadded base64url (43 characters). */
    public static final String BASE64URL = "base64url-32";

    private static final String LETTERS_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Function<SecureRandom, String>> GENERATORS = Map.of(
            PASSWORD, random -> draw(random, LETTERS_DIGITS + "-_.~!#%+", 32),
            ALPHANUMERIC, random -> draw(random, LETTERS_DIGITS, 40),
            HEX, random -> HexFormat.of().formatHex(bytes(random, 32)),
            BASE64URL, random -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(random, 32)));

    private SecretGenerators() {
    }

    /** The generators' names, for validation messages. */
    public static List<String> names() {
        return List.of(PASSWORD, ALPHANUMERIC, HEX, BASE64URL);
    }

    public static boolean exists(String name) {
        return GENERATORS.containsKey(name);
    }

    /** @throws IllegalArgumentException for a name not in {@link #names()} */
    public static String generate(String name) {
        Function<SecureRandom, String> generator = GENERATORS.get(name);
        if (generator == null) {
            throw new IllegalArgumentException("no generator named " + name);
        }
        return generator.apply(RANDOM);
    }

    private static String draw(SecureRandom random, String alphabet, int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return value.toString();
    }

    private static byte[] bytes(SecureRandom random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
