package io.qnsp.auth.tenant;

import io.qnsp.auth.AuthSettings;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Creates and lists tenants and the OAuth clients that act for them. Platform operators (role
 * {@code platform_admin}) manage every tenant; a tenant's administrators manage their own tenant's clients and
 * see no other tenant.
 */
@Service
public class TenantManagement {

    public static final String PLATFORM_ADMIN = "platform_admin";
    static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    static final Pattern NAME_TOKEN = Pattern.compile("[a-z][a-z0-9._:-]{0,63}");

    /** A tenant as created, and a client with its one-time secret. */
    public record IssuedClient(TenantClient client, String clientSecret) {
    }

    private final Tenants tenants;
    private final RegisteredClientRepository clients;
    private final PasswordEncoder passwords;
    private final AuthSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    TenantManagement(Tenants tenants, RegisteredClientRepository clients, PasswordEncoder passwords,
                     AuthSettings settings, Optional<Clock> clock) {
        this.tenants = tenants;
        this.clients = clients;
        this.passwords = passwords;
        this.settings = settings;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Transactional
    public Tenant createTenant(String id, String name, String plan, List<String> addOns, Map<String, Long> quotas) {
        require(id != null && TENANT_ID.matcher(id).matches(), "id",
                "must be 2-63 lower-case letters, digits or '-', starting with a letter or digit");
        require(name != null && !name.isBlank() && name.length() <= 200, "name", "must be 1-200 characters");
        require(plan != null && NAME_TOKEN.matcher(plan).matches(), "plan", "must be a lower-case name");
        List<String> cleanAddOns = addOns == null ? List.of() : List.copyOf(Set.copyOf(addOns));
        for (String addOn : cleanAddOns) {
            require(addOn != null && NAME_TOKEN.matcher(addOn).matches(), "addOns", "must be lower-case names");
        }
        Map<String, Long> cleanQuotas = quotas == null ? Map.of() : Map.copyOf(quotas);
        cleanQuotas.forEach((resource, limit) -> require(NAME_TOKEN.matcher(resource).matches()
                && limit != null && limit >= 0, "quotas", "must map resource names to non-negative limits"));
        Instant now = clock.instant();
        Tenant tenant = new Tenant(id, name.strip(), plan, cleanAddOns.stream().sorted().toList(), cleanQuotas, now,
                now);
        if (!tenants.insert(tenant)) {
            throw new TenantAlreadyExists();
        }
        return tenant;
    }

    @Transactional(readOnly = true)
    public List<Tenant> tenants(int limit, int offset) {
        return tenants.page(limit, offset);
    }

    @Transactional(readOnly = true)
    public long tenantCount() {
        return tenants.count();
    }

    /** A tenant the caller may see: any for a platform operator, otherwise only the caller's own. */
    @Transactional(readOnly = true)
    public Tenant tenant(Caller caller, String tenantId) {
        if (!caller.hasRole(PLATFORM_ADMIN) && !tenantId.equals(caller.tenantId())) {
            throw new TenantNotFound();
        }
        return tenants.find(tenantId).orElseThrow(TenantNotFound::new);
    }

    /** A tenant by id, without a caller's permission check: for claims of tokens the service issues itself. */
    @Transactional(readOnly = true)
    public Optional<Tenant> find(String tenantId) {
        return tenants.find(tenantId);
    }

    /** Registers a client-credentials client for the tenant and returns its secret, which is never shown again. */
    @Transactional
    public IssuedClient createClient(Caller caller, String tenantId, String name, List<String> scopes,
                                     List<String> roles) {
        Tenant tenant = tenant(caller, tenantId);
        require(name != null && !name.isBlank() && name.length() <= 200, "name", "must be 1-200 characters");
        List<String> cleanScopes = scopes == null ? List.of() : scopes.stream().distinct().sorted().toList();
        require(cleanScopes.size() <= 50, "scopes", "must hold at most 50 scopes");
        for (String scope : cleanScopes) {
            require(scope != null && NAME_TOKEN.matcher(scope).matches(), "scopes",
                    "must be lower-case names such as risk:read");
        }
        List<String> cleanRoles = roles == null ? List.of() : roles.stream().distinct().sorted().toList();
        for (String role : cleanRoles) {
            require(role != null && NAME_TOKEN.matcher(role).matches(), "roles", "must be lower-case names");
        }
        if (cleanRoles.contains(PLATFORM_ADMIN) && !caller.hasRole(PLATFORM_ADMIN)) {
            throw new InvalidTenantRequest("roles",
                    "may include " + PLATFORM_ADMIN + " only when a platform operator grants it");
        }
        return register(tenant.id(), name.strip(), cleanScopes, cleanRoles);
    }

    /** Registers a client without a caller's permission check: for the bootstrap of an empty platform. */
    IssuedClient register(String tenantId, String name, List<String> scopes, List<String> roles) {
        String clientId = tenantId + "-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        return register(tenantId, clientId, Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes), name,
                scopes, roles);
    }

    /**
     * Makes sure a client with this id and secret exists for the tenant (an internal client whose secret comes from
     * configuration, such as the gateway's): registers it, or replaces its secret and scopes when they differ.
     */
    @Transactional
    void ensureClient(String tenantId, String clientId, String secret, String name, List<String> scopes) {
        RegisteredClient existing = clients.findByClientId(clientId);
        if (existing == null) {
            register(tenantId, clientId, secret, name, scopes, List.of());
            return;
        }
        if (!passwords.matches(secret, existing.getClientSecret())
                || !existing.getScopes().equals(java.util.Set.copyOf(scopes))) {
            clients.save(RegisteredClient.from(existing).clientSecret(passwords.encode(secret))
                    .scopes(current -> {
                        current.clear();
                        current.addAll(scopes);
                    }).build());
        }
    }

    private IssuedClient register(String tenantId, String clientId, String secret, String name, List<String> scopes,
                                  List<String> roles) {
        Instant now = clock.instant();
        RegisteredClient.Builder registered = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId)
                .clientIdIssuedAt(now)
                .clientSecret(passwords.encode(secret))
                .clientName(name)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(settings.accessTokenTtl())
                        .build());
        scopes.forEach(registered::scope);
        clients.save(registered.build());
        TenantClient client = new TenantClient(clientId, tenantId, name, scopes, roles, now);
        tenants.insertClient(client);
        return new IssuedClient(client, secret);
    }

    @Transactional(readOnly = true)
    public List<TenantClient> clients(Caller caller, String tenantId) {
        Tenant tenant = tenant(caller, tenantId);
        return tenants.clientsOf(tenant.id()).stream().map(this::withScopes).toList();
    }

    /** The tenant and roles behind a client id, for the claims of the tokens it receives. */
    @Transactional(readOnly = true)
    public Optional<ClientIdentity> identityOf(String clientId) {
        return tenants.findClient(clientId).flatMap(client -> tenants.find(client.tenantId())
                .map(tenant -> new ClientIdentity(client, tenant)));
    }

    /** A client with its tenant. */
    public record ClientIdentity(TenantClient client, Tenant tenant) {
    }

    private TenantClient withScopes(TenantClient client) {
        RegisteredClient registered = clients.findByClientId(client.clientId());
        List<String> scopes = registered == null ? List.of() : registered.getScopes().stream().sorted().toList();
        return new TenantClient(client.clientId(), client.tenantId(), client.name(), scopes, client.roles(),
                client.createdAt());
    }

    private static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidTenantRequest(field, message);
        }
    }

    /** A tenant or client request with an invalid field. */
    static final class InvalidTenantRequest extends InvalidField {
        InvalidTenantRequest(String field, String problem) {
            super(field, problem);
        }
    }
}
