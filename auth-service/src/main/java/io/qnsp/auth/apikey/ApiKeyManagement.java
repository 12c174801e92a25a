package io.qnsp.auth.apikey;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.envelope.Paged;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues, lists, changes, revokes, rotates and verifies a tenant's DataHub API keys. Every operation is scoped by
 * the caller's tenant: another tenant's key is {@link ApiKeyNotFound}. The key itself exists only in the answers to
 * {@link #create} and {@link #rotate}; the database holds its keyed hash. Changes that affect verification publish an
 * {@link ApiKeyEvent} in the same transaction (outbox) and, after commit, a Redis notice.
 */
@Service
public class ApiKeyManagement {

    private final ApiKeys keys;
    private final ApiKeySearch search;
    private final ApiKeyHasher hasher;
    private final ApiKeyGenerator generator;
    private final ApiKeyRules rules;
    private final ApiKeyUsage usage;
    private final EventOutbox outbox;
    private final ApplicationEventPublisher publisher;
    private final ApiKeySettings settings;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.shared();

    ApiKeyManagement(ApiKeys keys, ApiKeySearch search, ApiKeyHasher hasher, ApiKeyGenerator generator,
                     ApiKeyRules rules, ApiKeyUsage usage, EventOutbox outbox, ApplicationEventPublisher publisher,
                     ApiKeySettings settings, ObjectProvider<Clock> clock) {
        this.keys = keys;
        this.search = search;
        this.hasher = hasher;
        this.generator = generator;
        this.rules = rules;
        this.usage = usage;
        this.outbox = outbox;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Issues a key for the caller's tenant, recording the caller as its creator. */
    @Transactional
    public CreatedApiKey create(Caller caller, NewApiKey request) {
        String tenantId = tenantOf(caller);
        Instant now = now();
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = rules.name(request.name(), true, problems);
        String description = rules.description(request.description(), problems);
        List<String> scopes = rules.scopes(request.scopes(), true, problems);
        RateLimit rateLimit = rules.rateLimit(request.rateLimit(), rules.defaultRateLimit(), problems);
        Instant expiresAt = rules.expiresAt(request.expiresAt(), now, problems);
        String metadata = rules.metadata(request.metadata(), problems);
        problems.throwIfAny();

        String apiKey = generator.newKey(settings.environment());
        ApiKey key = keys.save(new ApiKey(generator.newId(now), tenantId, caller.principal(), hasher.hash(apiKey),
                ApiKeyGenerator.displayPrefix(apiKey), name, description, scopes, rateLimit, metadata, expiresAt,
                null, now));
        return new CreatedApiKey(key.id(), apiKey, key.keyPrefix(), key.name(), key.description(),
                key.statusAt(now), key.scopes(), key.rateLimit(), metadataOf(key), key.createdAt(), key.expiresAt());
    }

    @Transactional(readOnly = true)
    public Paged<ApiKeySummary> list(Caller caller, ApiKeyQuery query) {
        String tenantId = tenantOf(caller);
        Instant now = now();
        ApiKeySearch.Found found = search.find(tenantId, query, now);
        List<ApiKeySummary> items = found.keys().stream().map(key -> {
            Usage used = usageOf(key);
            return new ApiKeySummary(key.id(), key.keyPrefix(), key.name(), key.statusAt(now), key.scopes(),
                    used.totalRequests(), used.lastUsedAt(), key.createdAt(), key.expiresAt());
        }).toList();
        return Paged.of(items, query.page(), query.pageSize(), found.total());
    }

    @Transactional(readOnly = true)
    public ApiKeyDetails get(Caller caller, String keyId) {
        return details(owned(caller, keyId), now());
    }

    /** Applies the changes given; scope and rate-limit changes are announced, since verifiers cache them. */
    @Transactional
    public ApiKeyDetails update(Caller caller, String keyId, ApiKeyChanges changes) {
        ApiKey key = ownedForUpdate(caller, keyId);
        Instant now = now();
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = rules.name(changes.name(), false, problems);
        String description = rules.description(changes.description(), problems);
        List<String> scopes = rules.scopes(changes.scopes(), false, problems);
        RateLimit rateLimit = rules.rateLimit(changes.rateLimit(), key.rateLimit(), problems);
        String metadata = changes.metadata() == null ? null : rules.metadata(changes.metadata(), problems);
        problems.throwIfAny();

        if (name != null) {
            key.rename(name, now);
        }
        if (changes.description() != null) {
            key.describe(description, now);
        }
        if (metadata != null) {
            key.annotate(metadata, now);
        }
        boolean verificationChanged = false;
        if (scopes != null && !scopes.equals(key.scopes())) {
            key.grant(scopes, now);
            verificationChanged = true;
        }
        if (!rateLimit.equals(key.rateLimit())) {
            key.limit(rateLimit, now);
            verificationChanged = true;
        }
        if (verificationChanged && key.statusAt(now).verifies()) {
            publish(new ApiKeyUpdated(UUID.randomUUID(), now, key.id(), key.tenantId()));
        }
        return details(key, now);
    }

    /** Revokes the key at once (the API's DELETE); revoking it again changes nothing. */
    @Transactional
    public RevokedApiKey revoke(Caller caller, String keyId) {
        ApiKey key = ownedForUpdate(caller, keyId);
        Instant now = now();
        if (key.statusAt(now) != ApiKeyStatus.REVOKED) {
            key.revoke(now);
            publish(new ApiKeyRevoked(UUID.randomUUID(), now, key.id(), key.tenantId(), key.revokedAt()));
        }
        return new RevokedApiKey(key.id(), ApiKeyStatus.REVOKED, key.revokedAt());
    }

    /**
     * Replaces an active key by a new one with the same name, description, scopes, limits, metadata and expiry. The
     * old key keeps verifying for the deprecation period (or until its own earlier expiry).
     *
     * @param deprecationPeriodSeconds {@code null} for the configured default
     */
    @Transactional
    public RotatedApiKey rotate(Caller caller, String keyId, Long deprecationPeriodSeconds) {
        ApiKey old = ownedForUpdate(caller, keyId);
        Instant now = now();
        InvalidField.Problems problems = new InvalidField.Problems();
        Duration period = rules.deprecationPeriod(deprecationPeriodSeconds, problems);
        problems.throwIfAny();
        ApiKeyStatus status = old.statusAt(now);
        if (status != ApiKeyStatus.ACTIVE) {
            throw new ApiKeyNotActive(status);
        }

        String apiKey = generator.newKey(settings.environment());
        ApiKey successor = keys.save(new ApiKey(generator.newId(now), old.tenantId(), caller.principal(),
                hasher.hash(apiKey), ApiKeyGenerator.displayPrefix(apiKey), old.name(), old.description(),
                old.scopes(), old.rateLimit(), old.metadata(), old.expiresAt(), old.id(), now));
        // the successor's row must exist before the old row refers to it
        keys.flush();
        old.deprecate(successor.id(), now.plus(period), now);
        publish(new ApiKeyRotated(UUID.randomUUID(), now, old.id(), old.tenantId(), successor.id(),
                old.expiresAt()));
        return new RotatedApiKey(
                new RotatedApiKey.NewKey(successor.id(), apiKey, successor.keyPrefix(), successor.statusAt(now)),
                new RotatedApiKey.OldKey(old.id(), old.statusAt(now), old.deprecatedAt(), old.expiresAt()));
    }

    /**
     * Checks a presented key with one lookup by its hash: present when it is active, or deprecated and not yet past
     * its deprecation; empty for an unknown, revoked or expired key (deliberately not told apart). Counts the use.
     */
    @Transactional(readOnly = true)
    public Optional<VerifiedApiKey> verify(String apiKey) {
        if (!ApiKeyGenerator.looksLikeKey(apiKey)) {
            return Optional.empty();
        }
        Instant now = now();
        return keys.findByKeyHash(hasher.hash(apiKey))
                .filter(key -> key.statusAt(now).verifies())
                .map(key -> {
                    usage.record(key.id(), now);
                    return new VerifiedApiKey(key.id(), key.tenantId(), key.id(), key.scopes(), key.rateLimit(),
                            key.statusAt(now), key.expiresAt());
                });
    }

    private void publish(ApiKeyEvent event) {
        outbox.append(event);
        publisher.publishEvent(event);
    }

    private ApiKey owned(Caller caller, String keyId) {
        String tenantId = tenantOf(caller);
        if (!ApiKeyGenerator.looksLikeId(keyId)) {
            throw new ApiKeyNotFound();
        }
        return keys.findByIdAndTenantId(keyId, tenantId).orElseThrow(ApiKeyNotFound::new);
    }

    private ApiKey ownedForUpdate(Caller caller, String keyId) {
        String tenantId = tenantOf(caller);
        if (!ApiKeyGenerator.looksLikeId(keyId)) {
            throw new ApiKeyNotFound();
        }
        return keys.findForUpdate(keyId, tenantId).orElseThrow(ApiKeyNotFound::new);
    }

    private static String tenantOf(Caller caller) {
        return TenantRequired.tenantOf(caller);
    }

    private ApiKeyDetails details(ApiKey key, Instant now) {
        Usage used = usageOf(key);
        return new ApiKeyDetails(key.id(), key.keyPrefix(), key.name(), key.description(), key.statusAt(now),
                key.scopes(), key.rateLimit(), metadataOf(key), used.totalRequests(), used.lastUsedAt(),
                key.createdAt(), key.updatedAt(), key.expiresAt(), key.createdBy(), key.deprecatedAt(),
                key.revokedAt(), key.rotatedFrom(), key.replacedBy());
    }

    private record Usage(long totalRequests, Instant lastUsedAt) {
    }

    /** Stored counts plus this instance's unflushed ones, so a key's own uses show at once. */
    private Usage usageOf(ApiKey key) {
        ApiKeyUsage.Counts pending = usage.unflushed(key.id());
        if (pending == null) {
            return new Usage(key.totalRequests(), key.lastUsedAt());
        }
        Instant pendingLast = Instant.ofEpochMilli(pending.lastUsedAtMillis);
        Instant last = key.lastUsedAt() == null || pendingLast.isAfter(key.lastUsedAt()) ? pendingLast
                : key.lastUsedAt();
        return new Usage(key.totalRequests() + pending.requests, last);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metadataOf(ApiKey key) {
        return json.readValue(key.metadata(), LinkedHashMap.class);
    }

    /** Microseconds, as PostgreSQL stores them, so an answer shows the times a later read returns. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
