package io.qnsp.auth.apikey;

import io.qnsp.common.ids.Ulids;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * New key ids ({@code key_} + a ULID: creation time, then 80 random bits) and key values
 * ({@code dh_{env}_} + 32 base62 characters, about 190 random bits).
 */
@Component
class ApiKeyGenerator {

    static final int SECRET_CHARS = 32;
    static final Pattern KEY_FORMAT = Pattern.compile("dh_(live|test)_[0-9A-Za-z]{" + SECRET_CHARS + "}");
    static final Pattern ID_FORMAT = Ulids.format("key_");
    private static final int PREFIX_SECRET_CHARS = 4;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SecureRandom random = new SecureRandom();

    String newId(Instant now) {
        return Ulids.next("key_", now);
    }

    String newKey(String environment) {
        StringBuilder key = new StringBuilder("dh_").append(environment).append('_');
        for (int i = 0; i < SECRET_CHARS; i++) {
            key.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return key.toString();
    }

    /** What lists show of a key, e.g. {@code dh_live_abc1...}: the environment and four characters of the secret. */
    static String displayPrefix(String apiKey) {
        int secretStart = apiKey.indexOf('_', 3) + 1;
        return apiKey.substring(0, secretStart + PREFIX_SECRET_CHARS) + "...";
    }

    static boolean looksLikeKey(String value) {
        return value != null && KEY_FORMAT.matcher(value).matches();
    }

    static boolean looksLikeId(String value) {
        return value != null && ID_FORMAT.matcher(value).matches();
    }
}
