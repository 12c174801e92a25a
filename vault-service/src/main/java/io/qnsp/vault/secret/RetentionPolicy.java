package io.qnsp.vault.secret;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * How many versions of a secret are kept and for how long. A version other than the current one is out of the
 * policy when more than {@code maxVersions} versions are newer or as new as it (it is not among the newest
 * {@code maxVersions}), or when it was written {@code deleteAfter} ago or earlier. Out-of-policy versions are
 * destroyed (kept in the history, value erased) with {@code autoDestroy}, and removed from the history without it.
 *
 * @param maxVersions {@code null} for no limit on the number of versions
 * @param deleteAfter ISO 8601 duration as the client wrote it, {@code null} for no age limit
 */
public record RetentionPolicy(@Nullable Integer maxVersions, @Nullable String deleteAfter, boolean autoDestroy) {

    static final RetentionPolicy NONE = new RetentionPolicy(null, null, false);

    /** Whether the policy limits anything at all. */
    boolean limits() {
        return maxVersions != null || deleteAfter != null;
    }

    @Nullable Duration age() {
        return deleteAfter == null ? null : Duration.parse(deleteAfter);
    }
}
