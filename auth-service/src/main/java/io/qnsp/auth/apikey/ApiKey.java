package io.qnsp.auth.apikey;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A tenant's DataHub API key. Holds the key only as its keyed hash and display prefix; its request counters are
 * written by batched usage flushes, never through this entity.
 */
@Entity
@Table(name = "api_key")
class ApiKey {

    @Id
    private String id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(name = "key_hash", nullable = false, updatable = false)
    private byte[] keyHash;

    @Column(name = "key_prefix", nullable = false, updatable = false)
    private String keyPrefix;

    @Column(nullable = false)
    @Convert(converter = StatusColumn.class)
    private ApiKeyStatus status;

    @Column(nullable = false)
    private String scopes;

    @Column(name = "requests_per_minute", nullable = false)
    private int requestsPerMinute;

    @Column(name = "requests_per_hour", nullable = false)
    private int requestsPerHour;

    @Column(name = "requests_per_day", nullable = false)
    private int requestsPerDay;

    @Column(nullable = false, columnDefinition = "json")
    @ColumnTransformer(write = "cast(? as json)")
    private String metadata;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "deprecated_at")
    private Instant deprecatedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "rotated_from", updatable = false)
    private String rotatedFrom;

    @Column(name = "replaced_by")
    private String replacedBy;

    @Column(name = "total_requests", insertable = false, updatable = false)
    private long totalRequests;

    @Column(name = "last_used_at", insertable = false, updatable = false)
    private Instant lastUsedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ApiKey() {
        // for JPA
    }

    ApiKey(String id, String tenantId, String createdBy, byte[] keyHash, String keyPrefix, String name,
           String description, List<String> scopes, RateLimit rateLimit, String metadata, Instant expiresAt,
           String rotatedFrom, Instant now) {
        this.id = id;
        this.tenantId = tenantId;
        this.createdBy = createdBy;
        this.keyHash = keyHash.clone();
        this.keyPrefix = keyPrefix;
        this.name = name;
        this.description = description;
        this.status = ApiKeyStatus.ACTIVE;
        this.scopes = String.join(" ", scopes);
        this.metadata = metadata;
        this.expiresAt = expiresAt;
        this.rotatedFrom = rotatedFrom;
        this.createdAt = now;
        this.updatedAt = now;
        limit(rateLimit);
    }

    void rename(String newName, Instant now) {
        this.name = newName;
        this.updatedAt = now;
    }

    void describe(String newDescription, Instant now) {
        this.description = newDescription;
        this.updatedAt = now;
    }

    void grant(List<String> newScopes, Instant now) {
        this.scopes = String.join(" ", newScopes);
        this.updatedAt = now;
    }

    void annotate(String newMetadata, Instant now) {
        this.metadata = newMetadata;
        this.updatedAt = now;
    }

    void limit(RateLimit rateLimit, Instant now) {
        limit(rateLimit);
        this.updatedAt = now;
    }

    private void limit(RateLimit rateLimit) {
        this.requestsPerMinute = rateLimit.requestsPerMinute();
        this.requestsPerHour = rateLimit.requestsPerHour();
        this.requestsPerDay = rateLimit.requestsPerDay();
    }

    /** Revokes the key from now on; a key already revoked keeps its first revocation time. */
    void revoke(Instant now) {
        if (status == ApiKeyStatus.REVOKED) {
            return;
        }
        this.status = ApiKeyStatus.REVOKED;
        this.revokedAt = now;
        this.updatedAt = now;
    }

    /** Replaced by a rotation: keeps verifying until {@code until}, or its own earlier expiry. */
    void deprecate(String successorId, Instant until, Instant now) {
        this.status = ApiKeyStatus.DEPRECATED;
        this.replacedBy = successorId;
        this.deprecatedAt = now;
        if (expiresAt == null || until.isBefore(expiresAt)) {
            this.expiresAt = until;
        }
        this.updatedAt = now;
    }

    ApiKeyStatus statusAt(Instant now) {
        return ApiKeyStatus.effective(status, expiresAt, now);
    }

    String id() {
        return id;
    }

    String tenantId() {
        return tenantId;
    }

    String createdBy() {
        return createdBy;
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    String keyPrefix() {
        return keyPrefix;
    }

    List<String> scopes() {
        return scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split(" "));
    }

    RateLimit rateLimit() {
        return new RateLimit(requestsPerMinute, requestsPerHour, requestsPerDay);
    }

    String metadata() {
        return metadata;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Instant deprecatedAt() {
        return deprecatedAt;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    String rotatedFrom() {
        return rotatedFrom;
    }

    String replacedBy() {
        return replacedBy;
    }

    long totalRequests() {
        return totalRequests;
    }

    Instant lastUsedAt() {
        return lastUsedAt;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    /** Stores the lifecycle as the lower-case words the schema's check constraint allows. */
    @Converter
    static final class StatusColumn implements AttributeConverter<ApiKeyStatus, String> {

        @Override
        public String convertToDatabaseColumn(ApiKeyStatus status) {
            return status == null ? null : status.value();
        }

        @Override
        public ApiKeyStatus convertToEntityAttribute(String column) {
            return column == null ? null : ApiKeyStatus.valueOf(column.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
