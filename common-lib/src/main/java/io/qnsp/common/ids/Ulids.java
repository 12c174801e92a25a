package io.qnsp.common.ids;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Prefixed ULIDs for resource ids ({@code key_…}, {@code del_…}): 26 Crockford base32 characters, the creation
 * time in milliseconds first and 80 random bits after, so ids sort by creation time and cannot be guessed.
 */
public final class Ulids {

    /** The 26 characters after the prefix. */
    public static final String PATTERN = "[0-9A-HJKMNP-TV-Z]{26}";

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ulids() {
    }

    /** {@code prefix} followed by a ULID of {@code now}. */
    public static String next(String prefix, Instant now) {
        char[] ulid = new char[26];
        long time = now.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            ulid[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            ulid[i] = CROCKFORD[RANDOM.nextInt(32)];
        }
        return prefix + new String(ulid);
    }

    public static String next(String prefix) {
        return next(prefix, Instant.now());
    }

    /** Matches ids made by {@link #next} with this prefix. */
    public static Pattern format(String prefix) {
        return Pattern.compile(Pattern.quote(prefix) + PATTERN);
    }
}
