package io.qnsp.ratelimit.apikey;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/** An API key known to the rate limiter, with its limits. The key itself is held only hashed and encrypted. */
@Entity
@Table(name = "api_key")
class ApiKey {

    static final String ACTIVE = "active";
    static final String DISABLED = "disabled";

    @Id
    private UUID id;

    @Column(name = "owner_tenant")
    private String ownerTenant;

    @Column(name = "key_hash", nullable = false, unique = true)
    private byte[] keyHash;

    @Column(name = "key_ciphertext", nullable = false)
    private byte[] keyCiphertext;

    @Column(name = "display_prefix", nullable = false)
    private String displayPrefix;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(nullable = false)
    private String status;

    @Column(nullable = false)
    private String algorithm;

    @Column(name = "tokens_per_second", nullable = false)
    private int tokensPerSecond;

    @Column(name = "burst_capacity", nullable = false)
    private int burstCapacity;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected ApiKey() {
        // for JPA
    }

    ApiKey(UUID id, String ownerTenant, byte[] keyHash, byte[] keyCiphertext, String displayPrefix, String name,
           String description, Limits limits, Instant now) {
        this.id = id;
        this.ownerTenant = ownerTenant;
        this.keyHash = keyHash;
        this.keyCiphertext = keyCiphertext;
        this.displayPrefix = displayPrefix;
        this.name = name;
        this.description = description;
        this.status = ACTIVE;
        this.createdAt = now;
        apply(limits, now);
    }

    void apply(Limits limits, Instant now) {
        this.algorithm = limits.algorithm();
        this.tokensPerSecond = limits.tokensPerSecond();
        this.burstCapacity = limits.burstCapacity();
        this.updatedAt = now;
    }

    void changeStatus(String newStatus, Instant now) {
        this.status = newStatus;
        this.updatedAt = now;
    }

    UUID id() {
        return id;
    }

    byte[] keyHash() {
        return keyHash.clone();
    }

    byte[] keyCiphertext() {
        return keyCiphertext.clone();
    }

    String displayPrefix() {
        return displayPrefix;
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    String status() {
        return status;
    }

    boolean isActive() {
        return ACTIVE.equals(status);
    }

    Limits limits() {
        return new Limits(algorithm, tokensPerSecond, burstCapacity);
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }
}
