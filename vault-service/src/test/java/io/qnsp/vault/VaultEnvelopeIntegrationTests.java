package io.qnsp.vault;

import io.qnsp.common.kms.Envelopes;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.infra.TestPostgres;
import io.qnsp.test.kms.FakeKms;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.ActiveProfiles;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vault on common-lib's KMS client: its values are sealed under data keys of its own KMS key, {@code qnsp-vault},
 * remembered in the client's table; a vault that kept its key in its former table keeps that key after migrating.
 */
@SpringBootTest
@ActiveProfiles("test")
@EmbeddedInfrastructure
class VaultEnvelopeIntegrationTests {

    @Autowired
    Envelopes envelopes;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theVaultsDataKeysComeFromItsOwnKmsKeyRememberedOnce() {
        String tenant = "tenant-" + UUID.randomUUID();
        Envelopes.Sealed sealed = envelopes.seal(tenant, "secret/x/1", "value");

        assertThat(envelopes.openString(tenant, "secret/x/1", sealed)).isEqualTo("value");
        UUID keyId = FakeKms.instance().keyNamed("qnsp-vault").orElseThrow();
        assertThat(jdbc.queryForList("SELECT key_id FROM qnsp_kms_key WHERE key_name = 'qnsp-vault'", UUID.class))
                .containsExactly(keyId);
        assertThat(jdbc.queryForObject("SELECT to_regclass('vault_kms_key') IS NULL", Boolean.class)).isTrue();
    }

    @Test
    void anExistingVaultKeepsTheKmsKeyItRecordedBeforeTheClientMovedToCommonLib() {
        TestPostgres postgres = TestPostgres.shared();
        String url = postgres.createDatabase("vault_kms_key_move");
        UUID recorded = UUID.randomUUID();
        flyway(url, postgres, "4").migrate();
        JdbcTemplate vault = new JdbcTemplate(new DriverManagerDataSource(url + "?currentSchema=vault",
                postgres.user(), postgres.password()));
        vault.update("INSERT INTO vault_kms_key (key_name, key_id, recorded_at) VALUES ('qnsp-vault', ?, now())",
                recorded);

        flyway(url, postgres, "latest").migrate();

        assertThat(vault.queryForList("SELECT key_id FROM qnsp_kms_key WHERE key_name = 'qnsp-vault'", UUID.class))
                .containsExactly(recorded);
        assertThat(vault.queryForObject("SELECT to_regclass('vault_kms_key') IS NULL", Boolean.class)).isTrue();
    }

    private static Flyway flyway(String url, TestPostgres postgres, String target) {
        return Flyway.configure().dataSource(url, postgres.user(), postgres.password()).schemas("vault")
                .defaultSchema("vault").locations("classpath:db/migration").target(target).load();
    }
}
