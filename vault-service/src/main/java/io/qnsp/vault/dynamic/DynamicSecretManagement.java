package io.qnsp.vault.dynamic;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import io.qnsp.vault.generate.SecretGenerators;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Dynamic database credentials: configs that name a backend (sealed), templates and times to live; leases that
 * are real accounts on the backend, renewed within the config's maximum and revoked on request or at expiry.
 */
@Service
public class DynamicSecretManagement {

    private static final Logger log = LoggerFactory.getLogger(DynamicSecretManagement.class);

    /** The config types the API names; only {@link DynamicSecretConfig#DATABASE} is offered. */
    public static final List<String> TYPES = List.of("database", "cloud_credentials", "api_key", "certificate");
    static final int MAX_NAME = 128;
    static final int MAX_METADATA = 256;
    static final int MAX_ACCOUNT = 128;
    static final int MAX_PASSWORD = 1024;

    /** A config as asked for; {@link #toString} shows no part of the connection or credentials. */
    public record NewConfig(@Nullable String name, @Nullable String type, boolean backendGiven,
                            @Nullable String backendType, @Nullable String connectionString, boolean credentialsGiven,
                            @Nullable String username, @Nullable String password, @Nullable String usernameTemplate,
                            @Nullable String roleTemplate, @Nullable String defaultTtl, @Nullable String maxTtl) {

        @Override
        public String toString() {
            return "NewConfig[name=" + name + ", type=" + type + ", backendType=" + backendType
                    + ", connectionString=***, credentials=***]";
        }
    }

    /** A new lease and its account's password, which exists only in this answer. */
    public record Issued(Lease lease, String password) {

        @Override
        public String toString() {
            return "Issued[leaseId=" + lease.leaseId() + ", username=" + lease.username() + ", password=***]";
        }
    }

    /** A tenant's figures, counted from the store. */
    public record Stats(long totalConfigs, long activeLeases, long expiredLeases, long revokedLeases,
                        Map<String, Long> configsByType) {
    }

    private final DynamicSecretConfigs configs;
    private final Leases leases;
    private final Backends backends;
    private final LeaseRevocation revocation;
    private final DynamicSecretSettings settings;
    private final TransactionTemplate separately;
    private final Clock clock = Clock.systemUTC();

    DynamicSecretManagement(DynamicSecretConfigs configs, Leases leases, Backends backends, LeaseRevocation revocation,
                            DynamicSecretSettings settings, PlatformTransactionManager transactions) {
        this.configs = configs;
        this.leases = leases;
        this.backends = backends;
        this.revocation = revocation;
        this.settings = settings;
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    // ---- configs ----

    /**
     * Checks the request, then the backend itself (reachable, credentials accepted, accounts can be made, the role
     * template's grants apply), seals the connection and stores the config.
     */
    public DynamicSecretConfig createConfig(String tenant, String principal, NewConfig request) {
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = request.name() == null ? null : request.name().strip();
        if (name == null || name.isEmpty()) {
            problems.add("name", "is required");
        } else if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            problems.add("name", "must be 1 to " + MAX_NAME + " characters without control characters");
        }
        if (request.type() == null) {
            problems.add("type", "is required: database (the only type supported)");
        } else if (!request.type().equals(DynamicSecretConfig.DATABASE)) {
            problems.add("type", (TYPES.contains(request.type()) ? "is not supported" : "is not a type")
                    + ": supported: database (cloud_credentials, api_key and certificate are not offered)");
            problems.detail("supportedTypes", List.of(DynamicSecretConfig.DATABASE));
        }
        BackendType backendType = null;
        if (!request.backendGiven()) {
            problems.add("backend", "is required: type, connectionString and credentials");
        } else if (request.backendType() == null) {
            problems.add("backend.type", "is required: " + String.join(" or ", BackendType.supported()));
        } else {
            backendType = BackendType.of(request.backendType());
            if (backendType == null) {
                problems.add("backend.type", (BackendType.UNSUPPORTED.contains(request.backendType())
                        ? "is not supported" : "is not a backend type") + ": supported: "
                        + String.join(", ", BackendType.supported()) + " ("
                        + String.join(", ", BackendType.UNSUPPORTED) + " are not offered)");
                problems.detail("supportedBackends", BackendType.supported());
            }
        }
        ConnectionStrings.Parsed url = null;
        if (request.backendGiven()) {
            if (request.connectionString() == null || request.connectionString().isBlank()) {
                problems.add(ConnectionStrings.FIELD, "is required: a JDBC URL such as "
                        + "jdbc:postgresql://host:5432/database");
            } else if (backendType != null) {
                url = ConnectionStrings.parse(request.connectionString(), backendType, settings.allowedHosts(),
                        problems);
            }
        }
        String account = request.username();
        String password = request.password();
        if (request.credentialsGiven()) {
            if (account == null || account.isEmpty() || account.length() > MAX_ACCOUNT) {
                problems.add("backend.credentials.username", "is required: 1 to " + MAX_ACCOUNT + " characters");
            }
            if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD) {
                problems.add("backend.credentials.password", "is required: 1 to " + MAX_PASSWORD + " characters");
            }
        } else if (url != null) {
            account = url.user();
            password = url.password();
            if (account == null || account.isEmpty() || password == null || password.isEmpty()) {
                problems.add("backend.credentials", "is required: {username, password} of an account that can "
                        + "create accounts (or user and password in the connection string)");
            }
        } else if (request.backendGiven()) {
            problems.add("backend.credentials", "is required: {username, password} of an account that can create "
                    + "accounts");
        }
        UsernameTemplate usernameTemplate = null;
        RoleTemplate roleTemplate = null;
        if (backendType != null) {
            try {
                usernameTemplate = UsernameTemplate.parse(request.usernameTemplate() == null
                        ? UsernameTemplate.DEFAULT : request.usernameTemplate(), name == null ? "" : name, backendType);
            } catch (TemplateRefused e) {
                problems.add(UsernameTemplate.FIELD, e.getMessage());
            }
            if (request.roleTemplate() == null || request.roleTemplate().isBlank()) {
                problems.add(RoleTemplate.FIELD, "is required: GRANT statements naming {{username}}, separated by ;");
            } else {
                try {
                    roleTemplate = RoleTemplate.parse(request.roleTemplate(), backendType);
                } catch (TemplateRefused e) {
                    problems.add(RoleTemplate.FIELD, e.getMessage());
                }
            }
        }
        Duration defaultTtl = Ttls.parse(request.defaultTtl(), "ttl.default", problems);
        Duration maxTtl = Ttls.parse(request.maxTtl(), "ttl.max", problems);
        if (maxTtl == null && request.maxTtl() == null) {
            maxTtl = settings.defaultMaxTtl();
        }
        if (maxTtl != null && maxTtl.compareTo(settings.ttlCeiling()) > 0) {
            problems.add("ttl.max", "must be at most " + settings.ttlCeiling() + " (qnsp.vault.dynamic.ttl-ceiling)");
        }
        if (defaultTtl == null && request.defaultTtl() == null && maxTtl != null) {
            defaultTtl = settings.defaultTtl().compareTo(maxTtl) > 0 ? maxTtl : settings.defaultTtl();
        }
        if (defaultTtl != null && maxTtl != null && defaultTtl.compareTo(maxTtl) > 0) {
            problems.add("ttl.default", "must not be longer than ttl.max");
        }
        problems.throwIfAny();

        if (configs.nameTaken(tenant, name)) {
            throw new DynamicConfigNameTaken();
        }
        BackendConnection connection = new BackendConnection(backendType, url.host(), url.port(), url.database(),
                url.options(), account, password);
        try {
            backends.of(backendType).verify(connection, roleTemplate);
        } catch (BackendFailure failure) {
            log.info("Dynamic secret config {} of tenant {} refused: {}", name, tenant, failure.getMessage());
            throw new BackendCheckFailed(failure);
        }
        UUID configId = UUID.randomUUID();
        DynamicSecretConfig config = new DynamicSecretConfig(configId, tenant, name, DynamicSecretConfig.DATABASE,
                backendType, backends.seal(tenant, configId, connection), usernameTemplate.text(),
                roleTemplate.text(), defaultTtl, maxTtl, principal, now());
        if (!configs.insert(config)) {
            throw new DynamicConfigNameTaken();
        }
        log.info("Dynamic secret config {} ({} on {}) created for tenant {}", configId, config.type(),
                backendType.value(), tenant);
        return config;
    }

    public List<ListedConfig> configs(String tenant) {
        return configs.list(tenant, now());
    }

    private DynamicSecretConfig config(String tenant, String configId) {
        return configs.find(tenant, PathIds.parse(configId, DynamicConfigNotFound::new))
                .orElseThrow(DynamicConfigNotFound::new);
    }

    // ---- leases ----

    /**
     * Makes a lease: an account on the config's backend named by its template, with a new password and the
     * grants of its role template, living {@code ttl} (the config's default when null). The lease is stored
     * (committed) before the account is made, so that no account can exist that the sweeper does not know of; when
     * the account cannot be made, the lease is removed again.
     */
    public Issued issue(String tenant, String principal, String configId, @Nullable String ttlText,
                        @Nullable String purpose, @Nullable String requestedBy) {
        InvalidField.Problems problems = new InvalidField.Problems();
        Duration ttl = Ttls.parse(ttlText, "ttl", problems);
        checkMetadata(problems, purpose, "metadata.purpose");
        checkMetadata(problems, requestedBy, "metadata.requestedBy");
        problems.throwIfAny();
        DynamicSecretConfig config = config(tenant, configId);
        ttl = checkedTtl(ttl, config);
        BackendConnection connection = backends.open(config);
        RoleTemplate grants = RoleTemplate.parse(config.roleTemplate(), config.backendType());
        Instant now = now();
        String username = UsernameTemplate.parse(config.usernameTemplate(), config.name(), config.backendType())
                .render(config.name(), now);
        String password = SecretGenerators.generate(SecretGenerators.PASSWORD);
        Lease lease = new Lease(UUID.randomUUID(), tenant, config.configId(), username, Lease.ACTIVE, purpose,
                requestedBy, principal, now, now.plus(ttl), now.plus(config.maxTtl()), null, null, null, 0, null,
                null, null);
        separately.executeWithoutResult(status -> leases.insert(lease));
        DatabaseBackend backend = backends.of(config.backendType());
        try {
            backend.create(connection, username, password, lease.expiresAt(), grants);
        } catch (BackendFailure failure) {
            undo(lease, connection, failure.getMessage());
            throw failure.reason() == BackendFailure.Reason.UNREACHABLE
                    ? new BackendUnavailable("no credentials were made") : new BackendRefused(failure);
        } catch (RuntimeException e) {
            undo(lease, connection, "unexpected " + e.getClass().getSimpleName());
            throw e;
        }
        log.info("Lease {} issued on config {} for tenant {}: account {} until {}", lease.leaseId(),
                config.configId(), tenant, username, lease.expiresAt());
        return new Issued(lease, password);
    }

    /** Removes a lease whose account could not be made, after making sure no account of it is left. */
    private void undo(Lease lease, BackendConnection connection, String error) {
        try {
            backends.of(connection.type()).drop(connection, lease.username());
            separately.executeWithoutResult(status -> leases.delete(lease.leaseId()));
        } catch (BackendFailure | RuntimeException e) {
            // the account may exist: the sweeper drops it
            separately.executeWithoutResult(status -> leases.abandon(lease.leaseId(), now(), error));
            log.warn("Lease {}: its account could not be made ({}) nor checked gone; left to the sweeper",
                    lease.leaseId(), error);
        }
    }

    public List<Lease> leases(String tenant, String configId) {
        return leases.list(tenant, config(tenant, configId).configId());
    }

    /**
     * Moves a lease's expiry to {@code ttl} from now (the config's default when null), never past the config's
     * {@code ttl.max} from the lease's creation, on the backend too. The lease's row stays locked meanwhile, so the
     * sweeper and revocations wait for the renewal or pass it by.
     */
    @Transactional
    public Lease renew(String tenant, String leaseId, @Nullable String ttlText) {
        InvalidField.Problems problems = new InvalidField.Problems();
        Duration ttl = Ttls.parse(ttlText, "ttl", problems);
        problems.throwIfAny();
        UUID id = PathIds.parse(leaseId, LeaseNotFound::new);
        Lease lease = leases.find(tenant, id, true).orElseThrow(LeaseNotFound::new);
        DynamicSecretConfig config = configs.find(tenant, lease.configId()).orElseThrow(LeaseNotFound::new);
        ttl = checkedTtl(ttl, config);
        Instant now = now();
        switch (lease.status(now)) {
            case Lease.REVOKED -> throw new LeaseNotRenewable(Lease.REVOKED, "The lease was revoked");
            case Lease.EXPIRED -> throw new LeaseNotRenewable(Lease.EXPIRED, "The lease has expired");
            default -> {
                if (lease.revocationPending()) {
                    throw new LeaseNotRenewable("revocation_pending", "The lease's revocation was asked for");
                }
                if (!lease.expiresAt().isBefore(lease.maxExpiresAt())) {
                    throw new LeaseNotRenewable("max_ttl_reached", "The lease has reached its config's ttl.max");
                }
            }
        }
        Instant expiresAt = now.plus(ttl);
        if (expiresAt.isAfter(lease.maxExpiresAt())) {
            expiresAt = lease.maxExpiresAt();
        }
        BackendConnection connection = backends.open(config);
        try {
            backends.of(config.backendType()).extend(connection, lease.username(), expiresAt);
        } catch (BackendFailure failure) {
            throw failure.reason() == BackendFailure.Reason.UNREACHABLE
                    ? new BackendUnavailable("the lease was not renewed") : new BackendRefused(failure);
        }
        leases.extend(id, expiresAt);
        log.info("Lease {} of tenant {} renewed until {}", id, tenant, expiresAt);
        return leases.find(tenant, id, false).orElseThrow(LeaseNotFound::new);
    }

    /**
     * Drops the lease's account now: its new logins are refused and its open sessions ended. A lease already
     * revoked or expired (its account dropped) is answered as it is. When the backend fails, the attempt is
     * recorded and the sweeper retries it with backoff.
     */
    public Lease revoke(String tenant, String leaseId) {
        UUID id = PathIds.parse(leaseId, LeaseNotFound::new);
        Lease lease = leases.find(tenant, id, false).orElseThrow(LeaseNotFound::new);
        if (done(lease)) {
            return lease;
        }
        DynamicSecretConfig config = configs.find(tenant, lease.configId()).orElseThrow(LeaseNotFound::new);
        // opened before the claim: kms-service being down leaves the lease untouched
        BackendConnection connection = backends.open(config);
        Optional<LeaseRevocation.Claimed> claimed = revocation.claim(tenant, id);
        if (claimed.isEmpty()) {
            Lease now = leases.find(tenant, id, false).orElseThrow(LeaseNotFound::new);
            if (done(now)) {
                return now;
            }
            throw new LeaseRevocationInProgress();
        }
        LeaseRevocation.Attempt attempt = revocation.attempt(claimed.get(), connection, false);
        if (!attempt.succeeded()) {
            BackendFailure failure = attempt.failure();
            if (failure != null && failure.reason() != BackendFailure.Reason.UNREACHABLE) {
                throw new BackendRefused(failure);
            }
            throw new BackendUnavailable("the lease stays as it is and the sweeper retries its revocation");
        }
        return attempt.lease().revokedAt() != null ? attempt.lease()
                : leases.find(tenant, id, false).orElseThrow(LeaseNotFound::new);
    }

    private static boolean done(Lease lease) {
        return lease.state().equals(Lease.REVOKED) || lease.state().equals(Lease.EXPIRED);
    }

    public Stats stats(String tenant) {
        Map<String, Long> byType = configs.countByType(tenant);
        Leases.Counts counts = leases.counts(tenant, now());
        return new Stats(byType.values().stream().mapToLong(Long::longValue).sum(), counts.active(),
                counts.expired(), counts.revoked(), byType);
    }

    private Duration checkedTtl(@Nullable Duration ttl, DynamicSecretConfig config) {
        if (ttl == null) {
            return config.defaultTtl();
        }
        if (ttl.compareTo(config.maxTtl()) > 0) {
            throw new InvalidField("ttl", "must be at most " + config.maxTtl() + ", the config's ttl.max");
        }
        return ttl;
    }

    private static void checkMetadata(InvalidField.Problems problems, @Nullable String value, String field) {
        if (value != null && (value.length() > MAX_METADATA || value.chars().anyMatch(Character::isISOControl))) {
            problems.add(field, "must be at most " + MAX_METADATA + " characters without control characters");
        }
    }

    /** The time, to the microsecond PostgreSQL keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
