package io.qnsp.vault.dynamic;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.List;

/** The database servers on which a lease is a real account. */
public enum BackendType {

    /** PostgreSQL 10 or later: a login role with a password and {@code VALID UNTIL}; names up to 63 bytes. */
    POSTGRES("postgres", 63, List.of("jdbc:postgresql://")),
    /** MySQL 5.7 or later and MariaDB 10.4 or later: an account {@code 'name'@'%'}; names up to 32 characters. */
    MYSQL("mysql", 32, List.of("jdbc:mysql://", "jdbc:mariadb://"));

    /** Named by the API ({@code backend.type}) but not offered. */
    public static final List<String> UNSUPPORTED = List.of("mongodb", "aws", "azure", "gcp");

    private final String value;
    private final int maxUsernameLength;
    private final List<String> urlPrefixes;

    BackendType(String value, int maxUsernameLength, List<String> urlPrefixes) {
        this.value = value;
        this.maxUsernameLength = maxUsernameLength;
        this.urlPrefixes = urlPrefixes;
    }

    public String value() {
        return value;
    }

    int maxUsernameLength() {
        return maxUsernameLength;
    }

    List<String> urlPrefixes() {
        return urlPrefixes;
    }

    public static List<String> supported() {
        return Arrays.stream(values()).map(BackendType::value).toList();
    }

    static @Nullable BackendType of(@Nullable String value) {
        for (BackendType type : values()) {
            if (type.value.equals(value)) {
                return type;
            }
        }
        return null;
    }
}
