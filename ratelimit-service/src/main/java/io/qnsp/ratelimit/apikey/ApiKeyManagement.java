package io.qnsp.ratelimit.apikey;

import io.qnsp.common.security.Caller;
import io.qnsp.ratelimit.RateLimitSettings;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Issues, lists, reconfigures, disables and deletes API keys. Keys are scoped by the owning tenant of the
 * operator who created them; a platform operator (admin token) has no tenant.
 */
@Service
public class ApiKeyManagement {

    static final String KEY_PREFIX = "RAT-";
    private static final int RANDOM_CHARS = 32; // 32 × log2(62) ≈ 190 bits of randomness
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final Pattern KEY_FORMAT = Pattern.compile("RAT-[0-9A-Za-z]{" + RANDOM_CHARS + "}");
    static final int MAX_RATE = 1_000_000;
    static final int MAX_BURST = 10_000_000;

    private final ApiKeys keys;
    private final ApiKeyCipher cipher;
    private final ApplicationEventPublisher events;
    private final RateLimitSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiKeyManagement(ApiKeys keys, ApiKeyCipher cipher, ApplicationEventPublisher events,
                     RateLimitSettings settings, Optional<Clock> clock) {
        this.keys = keys;
        this.cipher = cipher;
        this.events = events;
        this.settings = settings;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** Issues a new key; the returned view is the only place its value appears besides the admin API. */
    @Transactional
    public ApiKeyView create(Caller caller, String name, String description, Limits limits) {
        Limits effective = limits != null ? validated(limits) : defaultLimits();
        String apiKey = newKeyValue();
        ApiKey key = new ApiKey(UUID.randomUUID(), caller.tenantId(), cipher.fingerprint(apiKey),
                cipher.encrypt(apiKey), apiKey.substring(0, KEY_PREFIX.length() + 4), name.strip(),
                description == null || description.isBlank() ? null : description.strip(), effective,
                Instant.now(clock));
        keys.save(key);
        events.publishEvent(new ApiKeyChanged(key.id(), fingerprintOf(apiKey)));
        return view(key, apiKey);
    }

    @Transactional(readOnly = true)
    public Page<ApiKeyView> list(Caller caller, int page, int size) {
        return keys.findOwned(caller.tenantId(), PageRequest.of(page, size)).map(this::view);
    }

    @Transactional(readOnly = true)
    public ApiKeyView find(Caller caller, String keyReference) {
        return view(owned(caller, keyReference));
    }

    @Transactional
    public Limits updateLimits(Caller caller, String keyReference, Limits limits) {
        Limits checked = validated(limits);
        ApiKey key = owned(caller, keyReference);
        key.apply(checked, Instant.now(clock));
        events.publishEvent(changed(key));
        return key.limits();
    }

    @Transactional
    public ApiKeyView disable(Caller caller, String keyReference) {
        return changeStatus(caller, keyReference, ApiKey.DISABLED);
    }

    @Transactional
    public ApiKeyView enable(Caller caller, String keyReference) {
        return changeStatus(caller, keyReference, ApiKey.ACTIVE);
    }

    private ApiKeyView changeStatus(Caller caller, String keyReference, String status) {
        ApiKey key = owned(caller, keyReference);
        key.changeStatus(status, Instant.now(clock));
        events.publishEvent(changed(key));
        return view(key);
    }

    @Transactional
    public void delete(Caller caller, String keyReference) {
        ApiKey key = owned(caller, keyReference);
        keys.delete(key);
        events.publishEvent(changed(key));
    }

    /** The id of the caller's key named by {@code keyReference}, or {@code null}: for audit records. */
    @Transactional(readOnly = true)
    public String keyIdOf(Caller caller, String keyReference) {
        try {
            return owned(caller, keyReference).id().toString();
        } catch (ApiKeyNotFound | MalformedKeyReference e) {
            return null;
        }
    }

    /** The runtime view of a presented key, or empty when no such key exists (disabled keys are returned). */
    @Transactional(readOnly = true)
    public Optional<ActiveKey> resolve(String apiKey) {
        if (!KEY_FORMAT.matcher(apiKey).matches()) {
            return Optional.empty();
        }
        return keys.findByKeyHash(cipher.fingerprint(apiKey))
                .map(ActiveKey::of);
    }

    /** The runtime view of the key with this {@link #fingerprintOf fingerprint}, to reload a remembered key. */
    @Transactional(readOnly = true)
    public Optional<ActiveKey> resolveFingerprint(String fingerprint) {
        return keys.findByKeyHash(hash(fingerprint))
                .map(ActiveKey::of);
    }

    /**
     * The runtime views of the keys with these {@link #fingerprintOf fingerprints}, read with one query, by
     * fingerprint; a fingerprint without a key is left out. To reload remembered keys together.
     */
    @Transactional(readOnly = true)
    public Map<String, ActiveKey> resolveFingerprints(List<String> fingerprints) {
        List<byte[]> hashes = new ArrayList<>(fingerprints.size());
        for (String fingerprint : fingerprints) {
            hashes.add(hash(fingerprint));
        }
        Map<String, ActiveKey> found = new HashMap<>();
        for (ApiKey key : keys.findByKeyHashIn(hashes)) {
            found.put(fingerprint(key.keyHash()), ActiveKey.of(key));
        }
        return found;
    }

    /** The cache key under which a presented key's settings are remembered. Not reversible to the key. */
    public String fingerprintOf(String apiKey) {
        return fingerprint(cipher.fingerprint(apiKey));
    }

    /** A stored key hash as the fingerprint the cache and the change notices use, and back. */
    private static String fingerprint(byte[] keyHash) {
        return Base64.getEncoder().encodeToString(keyHash);
    }

    private static byte[] hash(String fingerprint) {
        return Base64.getDecoder().decode(fingerprint);
    }

    private ApiKeyChanged changed(ApiKey key) {
        return new ApiKeyChanged(key.id(), fingerprint(key.keyHash()));
    }

    private ApiKey owned(Caller caller, String keyReference) {
        if (keyReference != null && KEY_FORMAT.matcher(keyReference).matches()) {
            return keys.findOwnedByHash(cipher.fingerprint(keyReference), caller.tenantId())
                    .orElseThrow(ApiKeyNotFound::new);
        }
        UUID id;
        try {
            id = UUID.fromString(keyReference);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedKeyReference();
        }
        return keys.findOwnedById(id, caller.tenantId()).orElseThrow(ApiKeyNotFound::new);
    }

    private Limits validated(Limits limits) {
        if (!Limits.TOKEN_BUCKET.equals(limits.algorithm())) {
            throw new UnsupportedAlgorithm();
        }
        if (limits.tokensPerSecond() < 1 || limits.tokensPerSecond() > MAX_RATE) {
            throw new InvalidLimits("tokensPerSecond", "must be between 1 and " + MAX_RATE);
        }
        if (limits.burstCapacity() < 1 || limits.burstCapacity() > MAX_BURST) {
            throw new InvalidLimits("burstCapacity", "must be between 1 and " + MAX_BURST);
        }
        return limits;
    }

    private Limits defaultLimits() {
        return new Limits(Limits.TOKEN_BUCKET, settings.defaultLimits().tokensPerSecond(),
                settings.defaultLimits().burstCapacity());
    }

    private String newKeyValue() {
        StringBuilder value = new StringBuilder(KEY_PREFIX.length() + RANDOM_CHARS).append(KEY_PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            value.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return value.toString();
    }

    private ApiKeyView view(ApiKey key) {
        return view(key, cipher.decrypt(key.keyCiphertext()));
    }

    private ApiKeyView view(ApiKey key, String apiKey) {
        return new ApiKeyView(key.id(), apiKey, key.name(), key.description(), key.status(), key.createdAt(),
                key.updatedAt(), key.limits());
    }
}
