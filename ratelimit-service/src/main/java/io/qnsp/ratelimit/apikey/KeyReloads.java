package io.qnsp.ratelimit.apikey;

import com.github.benmanes.caffeine.cache.CacheLoader;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Loads a key's settings into {@link ApiKeyDirectory} and reloads remembered keys in batches. A key missing from
 * memory is read alone, since a check waits for it. A key in use is reloaded in the background, and keys that fall
 * due together (all the keys read in the same seconds, say after a restart) would otherwise cost one query each,
 * all at once: their reloads queue here and are read with one query for up to {@link #MAX_KEYS_PER_QUERY} keys. At
 * most one batch is read at a time; keys that fall due meanwhile go into the next. A failed read fails the reloads
 * it carried, so their entries keep serving until the next try or until they expire, as a single failed reload
 * would. Thread-safe.
 */
final class KeyReloads implements CacheLoader<String, Optional<ActiveKey>> {

    /** Keys read in one query at most; more wait for the next. */
    static final int MAX_KEYS_PER_QUERY = 500;
    static final String KEYS_PER_QUERY = "qnsp.ratelimit.key-reloads";

    private final ApiKeyManagement management;
    private final DistributionSummary keysPerQuery;
    /** Reloads waiting for a query, by fingerprint; guards {@link #reading} too. */
    private final Map<String, CompletableFuture<Optional<ActiveKey>>> waiting = new LinkedHashMap<>();
    private boolean reading;

    KeyReloads(ApiKeyManagement management, MeterRegistry registry) {
        this.management = management;
        this.keysPerQuery = DistributionSummary.builder(KEYS_PER_QUERY)
                .description("Remembered API keys reloaded from the database in one query")
                .baseUnit("keys")
                .register(registry);
    }

    @Override
    public Optional<ActiveKey> load(String fingerprint) {
        return management.resolveFingerprint(fingerprint);
    }

    @Override
    public CompletableFuture<Optional<ActiveKey>> asyncReload(String fingerprint, Optional<ActiveKey> oldValue,
                                                              Executor executor) {
        CompletableFuture<Optional<ActiveKey>> reloaded;
        synchronized (waiting) {
            reloaded = waiting.computeIfAbsent(fingerprint, ignored -> new CompletableFuture<>());
            if (reading) {
                return reloaded;
            }
            reading = true;
        }
        try {
            executor.execute(this::readWhatWaits);
        } catch (RuntimeException e) {
            synchronized (waiting) {
                reading = false;
            }
            throw e;
        }
        return reloaded;
    }

    /** Reads the waiting keys batch by batch until none waits. */
    private void readWhatWaits() {
        while (true) {
            Map<String, CompletableFuture<Optional<ActiveKey>>> batch = new LinkedHashMap<>();
            synchronized (waiting) {
                if (waiting.isEmpty()) {
                    reading = false;
                    return;
                }
                var entries = waiting.entrySet().iterator();
                while (entries.hasNext() && batch.size() < MAX_KEYS_PER_QUERY) {
                    var entry = entries.next();
                    batch.put(entry.getKey(), entry.getValue());
                    entries.remove();
                }
            }
            keysPerQuery.record(batch.size());
            Map<String, ActiveKey> found;
            try {
                found = management.resolveFingerprints(new ArrayList<>(batch.keySet()));
            } catch (Throwable e) {
                // every reload of the batch is answered, whatever went wrong, so none stays pending
                batch.values().forEach(reload -> reload.completeExceptionally(e));
                continue;
            }
            batch.forEach((fingerprint, reload) -> reload.complete(Optional.ofNullable(found.get(fingerprint))));
        }
    }
}
