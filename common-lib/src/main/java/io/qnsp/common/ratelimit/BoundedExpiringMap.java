package io.qnsp.common.ratelimit;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;

/**
 * A concurrent map of per-bucket state that holds about {@code maxEntries} entries: expired entries are dropped when
 * read and swept when the map grows past its bound; if that is not enough, arbitrary entries go. Both users only lose
 * precision, never correctness, when an entry disappears early (see {@link DenialMemory} and {@link LocalBuckets}).
 */
final class BoundedExpiringMap<V> {

    private final ConcurrentHashMap<String, V> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final ToLongFunction<V> expiresAt;
    private final AtomicBoolean pruning = new AtomicBoolean();

    BoundedExpiringMap(int maxEntries, ToLongFunction<V> expiresAt) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
        this.expiresAt = expiresAt;
    }

    V get(String key, long now) {
        V value = entries.get(key);
        if (value != null && expired(value, now)) {
            entries.remove(key, value);
            return null;
        }
        return value;
    }

    /**
     * The entry as stored, even when expired: for a caller that refills by limits of its own, under which an entry
     * that expired by the limits it was written with (a bucket full again) may not be full yet (a grown capacity).
     */
    V getEvenIfExpired(String key) {
        return entries.get(key);
    }

    void put(String key, V value, long now) {
        entries.put(key, value);
        pruneIfFull(now);
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private boolean expired(V value, long now) {
        return now - expiresAt.applyAsLong(value) >= 0;
    }

    private void pruneIfFull(long now) {
        if (entries.size() <= maxEntries || !pruning.compareAndSet(false, true)) {
            return;
        }
        try {
            entries.values().removeIf(value -> expired(value, now));
            // shrink below the bound so the next O(n) sweep is many inserts away
            int target = maxEntries - maxEntries / 10;
            Iterator<String> keys = entries.keySet().iterator();
            while (entries.size() > target && keys.hasNext()) {
                keys.next();
                keys.remove();
            }
        } finally {
            pruning.set(false);
        }
    }
}
