package io.qnsp.auth.tenant;

import io.qnsp.auth.AuthSettings;
import io.qnsp.auth.apikey.ApiKeyManagement;
import io.qnsp.auth.apikey.CreatedApiKey;
import io.qnsp.auth.apikey.NewApiKey;
import io.qnsp.common.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * On the first start against an empty database, creates the platform operator's tenant, an administrator client
 * and an administrator API key, and hands their credentials out once: written to {@code qnsp.auth.bootstrap.credentials-file} (readable
 * by its owner only) when set, otherwise printed to standard output. Never logged, never stored in plain text.
 * At every start, also keeps the platform's service clients ({@code qnsp.auth.bootstrap.service-clients}: the
 * gateway's, the vault's, the object store's) in place with their configured secrets and scopes.
 */
@Component
class PlatformBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PlatformBootstrap.class);
    private static final long BOOTSTRAP_LOCK = 0x716e73705f626f6fL;
    static final List<String> OPERATOR_ROLES = List.of("admin", TenantManagement.PLATFORM_ADMIN);

    /** What the first start hands out. */
    record Issued(TenantManagement.IssuedClient client, CreatedApiKey apiKey) {
    }

    private final TenantManagement tenants;
    private final ApiKeyManagement apiKeys;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuthSettings settings;

    PlatformBootstrap(TenantManagement tenants, ApiKeyManagement apiKeys, JdbcTemplate jdbc,
                      TransactionTemplate transactions, AuthSettings settings) {
        this.tenants = tenants;
        this.apiKeys = apiKeys;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        Issued issued = transactions.execute(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", BOOTSTRAP_LOCK);
            if (tenants.tenantCount() > 0) {
                return null;
            }
            String tenantId = settings.bootstrap().tenantId();
            tenants.createTenant(tenantId, "Platform operator", "enterprise", List.of(), Map.of());
            TenantManagement.IssuedClient client = tenants.register(tenantId, "platform administrator",
                    List.of(Caller.ADMIN_SCOPE), OPERATOR_ROLES);
            Caller operator = new Caller(tenantId, client.client().clientId(), Set.of(Caller.ADMIN_SCOPE),
                    Set.copyOf(OPERATOR_ROLES), Set.of(), "enterprise");
            CreatedApiKey key = apiKeys.create(operator, new NewApiKey("platform administrator key",
                    "created on first start", List.of(Caller.ADMIN_SCOPE), null, null, Map.of()));
            return new Issued(client, key);
        });
        if (issued != null) {
            handOut(issued);
        }
        settings.bootstrap().serviceClients().forEach((clientId, client) -> {
            if (client.secret().isBlank()) {
                return;
            }
            transactions.executeWithoutResult(status -> {
                jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", BOOTSTRAP_LOCK);
                tenants.ensureClient(settings.bootstrap().tenantId(), clientId, client.secret(),
                        clientId + " (platform service)", client.scopes());
            });
        });
    }

    private void handOut(Issued issued) {
        TenantManagement.IssuedClient admin = issued.client();
        String text = """
                QNSP bootstrap credentials (shown once; the secret is stored only as a hash)
                  tenant:        %s
                  client id:     %s
                  client secret: %s
                  token:         curl -s -u '%s:%s' -d grant_type=client_credentials %s/oauth2/token
                  admin API key: %s   (id %s, scope admin)
                """.formatted(admin.client().tenantId(), admin.client().clientId(), admin.clientSecret(),
                admin.client().clientId(), admin.clientSecret(), settings.issuer(), issued.apiKey().apiKey(),
                issued.apiKey().id());
        String file = settings.bootstrap().credentialsFile();
        if (file.isBlank()) {
            System.out.println(text);
            log.info("created the platform tenant and its administrator client {}; credentials printed once",
                    admin.client().clientId());
            return;
        }
        Path path = Path.of(file);
        try {
            Files.deleteIfExists(path);
            Files.createFile(path);
            PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            if (posix != null) {
                posix.setPermissions(PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(path, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the bootstrap credentials to " + path, e);
        }
        log.info("created the platform tenant and its administrator client {}; credentials written to {}",
                admin.client().clientId(), path);
    }
}
