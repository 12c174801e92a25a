package io.qnsp.common.redis;

/**
 * Builds Redis key names under the configured prefix ({@code qnsp.redis.key-prefix}), so several environments or
 * test contexts can share one Redis without seeing each other's keys.
 */
public final class RedisKeys {

    private final String prefix;

    public RedisKeys(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
    }

    /** {@code prefix + name}. */
    public String key(String name) {
        return prefix + name;
    }

    public String prefix() {
        return prefix;
    }
}
