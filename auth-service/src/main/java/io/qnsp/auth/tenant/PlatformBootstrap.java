package io.qnsp.auth.tenant;

import io.qnsp.auth.AuthSettings;
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

/**
 * On the first start against an empty database, creates the platform operator's tenant and an administrator
 * client, and hands their credentials out once: written to {@code qnsp.auth.bootstrap.credentials-file} (readable
 * by its owner only) when set, otherwise printed to standard output. Never logged, never stored in plain text.
 */
@Component
class PlatformBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PlatformBootstrap.class);
    private static final long BOOTSTRAP_LOCK = 0x716e73705f626f6fL;
    static final List<String> OPERATOR_ROLES = List.of("admin", TenantManagement.PLATFORM_ADMIN);

    private final TenantManagement tenants;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuthSettings settings;

    PlatformBootstrap(TenantManagement tenants, JdbcTemplate jdbc, TransactionTemplate transactions,
                      AuthSettings settings) {
        this.tenants = tenants;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        TenantManagement.IssuedClient admin = transactions.execute(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", BOOTSTRAP_LOCK);
            if (tenants.tenantCount() > 0) {
                return null;
            }
            String tenantId = settings.bootstrap().tenantId();
            tenants.createTenant(tenantId, "Platform operator", "enterprise", List.of(), Map.of());
            return tenants.register(tenantId, "platform administrator", List.of("admin"), OPERATOR_ROLES);
        });
        if (admin != null) {
            handOut(admin);
        }
    }

    private void handOut(TenantManagement.IssuedClient admin) {
        String text = """
                QNSP bootstrap credentials (shown once; the secret is stored only as a hash)
                  tenant:        %s
                  client id:     %s
                  client secret: %s
                  token:         curl -s -u '%s:%s' -d grant_type=client_credentials %s/oauth2/token
                """.formatted(admin.client().tenantId(), admin.client().clientId(), admin.clientSecret(),
                admin.client().clientId(), admin.clientSecret(), settings.issuer());
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
