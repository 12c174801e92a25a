package io.qnsp.common.kms;

import io.qnsp.test.infra.TestPostgres;
import io.qnsp.test.kms.FakeKms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The KMS client against a kms-service that speaks the real API: data keys are generated once per tenant and reused,
 * opened through kms-service when not in memory, bound to service, tenant and context; the KMS key is made once and
 * remembered; a kms-service that cannot be reached is DEPENDENCY_DOWN only when it is really needed.
 */
class KmsClientIntegrationTests {

    final FakeKms kms = FakeKms.instance();

    @AfterEach
    void kmsBack() {
        kms.up();
    }

    @Test
    void withoutAKmsUrlTheMechanismIsOff() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, KmsClientAutoConfiguration.class))
                .withPropertyValues(database(TestPostgres.shared().createDatabase("kms_off")))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(Envelopes.class);
                    assertThat(context).doesNotHaveBean(KmsKeySchema.class);
                });
    }

    @Test
    void aValueSealedForATenantOpensForItAloneAndOnlyInItsContext() {
        runner("vault").run(context -> {
            Envelopes envelopes = context.getBean(Envelopes.class);
            String tenant = tenant();
            Envelopes.Sealed sealed = envelopes.seal(tenant, "secret/db-password/1", "s3cr3t-value");

            assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t-value");
            assertThat(envelopes.openString(tenant, "secret/db-password/1", sealed)).isEqualTo("s3cr3t-value");
            assertThatThrownBy(() -> envelopes.open(tenant, "secret/db-password/2", sealed))
                    .isInstanceOf(IllegalStateException.class);
            // another tenant cannot even have the data key opened: kms-service refuses the wrong encryption context
            assertThatThrownBy(() -> envelopes.open(tenant(), "secret/db-password/1", sealed))
                    .isInstanceOf(DependencyDown.class);
        });
    }

    @Test
    void aTenantsDataKeyIsGeneratedOnceAndReusedWhileItIsFresh() {
        runner("vault").run(context -> {
            Envelopes envelopes = context.getBean(Envelopes.class);
            String tenant = tenant();
            int before = kms.dataKeysGenerated();
            Envelopes.Sealed first = envelopes.seal(tenant, "a", "one");
            Envelopes.Sealed second = envelopes.seal(tenant, "b", "two");
            DataKey current = envelopes.currentDataKey(tenant);

            assertThat(kms.dataKeysGenerated() - before).isEqualTo(1);
            assertThat(second.wrappedKey()).isEqualTo(first.wrappedKey()).isEqualTo(current.wrapped());
            assertThat(second.ciphertext()).isNotEqualTo(first.ciphertext());
            envelopes.seal(tenant(), "a", "one");
            assertThat(kms.dataKeysGenerated() - before).isEqualTo(2);
        });
    }

    @Test
    void aDataKeyHandedOutForContentOpensAgainFromMemoryOrThroughKmsService() {
        runner("storage").run(context -> {
            Envelopes envelopes = context.getBean(Envelopes.class);
            String tenant = tenant();
            DataKey key = envelopes.currentDataKey(tenant);
            assertThat(key.plaintext()).hasSize(32);
            assertThat(key.toString()).doesNotContain(Arrays.toString(key.plaintext()));

            int before = kms.dataKeysDecrypted();
            assertThat(envelopes.openDataKey(tenant, key.wrapped())).isEqualTo(key.plaintext());
            assertThat(kms.dataKeysDecrypted() - before).as("opened from memory").isZero();

            Envelopes forgetful = new Envelopes(context.getBean(KmsDataKeys.class),
                    context.getBean(KmsClientProperties.class).withDataKeyTtl(Duration.ZERO));
            assertThat(forgetful.openDataKey(tenant, key.wrapped())).isEqualTo(key.plaintext());
            assertThat(kms.dataKeysDecrypted() - before).isEqualTo(1);

            // what is handed out is a copy: a caller wiping its key does not wipe the cache
            byte[] handedOut = envelopes.openDataKey(tenant, key.wrapped());
            Arrays.fill(handedOut, (byte) 0);
            assertThat(envelopes.openDataKey(tenant, key.wrapped())).isEqualTo(key.plaintext());
            assertThatThrownBy(() -> forgetful.openDataKey(tenant(), key.wrapped()))
                    .isInstanceOf(DependencyDown.class);
        });
    }

    @Test
    void oneServicesDataKeysAndValuesDoNotOpenForAnother() {
        String tenant = tenant();
        String database = TestPostgres.shared().createDatabase("kms_two_services");
        Envelopes.Sealed[] sealed = new Envelopes.Sealed[1];
        DataKey[] key = new DataKey[1];
        runner("vault", database).run(context -> {
            sealed[0] = context.getBean(Envelopes.class).seal(tenant, "ctx", "vault's value");
            key[0] = context.getBean(Envelopes.class).currentDataKey(tenant);
        });
        runner("storage", database).run(context -> {
            Envelopes storage = context.getBean(Envelopes.class);
            assertThatThrownBy(() -> storage.openDataKey(tenant, key[0].wrapped())).isInstanceOf(DependencyDown.class);
            assertThatThrownBy(() -> storage.open(tenant, "ctx", sealed[0])).isInstanceOf(DependencyDown.class);
        });
    }

    @Test
    void withKmsServiceDownATenantWithoutADataKeyInMemoryGetsDependencyDown() {
        runner("vault").run(context -> {
            Envelopes envelopes = context.getBean(Envelopes.class);
            String known = tenant();
            Envelopes.Sealed sealed = envelopes.seal(known, "ctx", "written while kms-service was up");
            Envelopes forgetful = new Envelopes(context.getBean(KmsDataKeys.class),
                    context.getBean(KmsClientProperties.class).withDataKeyTtl(Duration.ZERO));
            kms.down();

            assertThatThrownBy(() -> envelopes.seal(tenant(), "ctx", "value"))
                    .isInstanceOf(DependencyDown.class)
                    .satisfies(e -> assertThat(((DependencyDown) e).status().value()).isEqualTo(503))
                    .satisfies(e -> assertThat(((DependencyDown) e).code()).isEqualTo("dependency_down"))
                    .satisfies(e -> assertThat(((DependencyDown) e).details())
                            .containsEntry("dependency", "kms-service"));
            assertThatThrownBy(() -> envelopes.currentDataKey(tenant())).isInstanceOf(DependencyDown.class);
            assertThatThrownBy(() -> forgetful.open(known, "ctx", sealed)).isInstanceOf(DependencyDown.class);
            // what is in memory keeps working
            assertThat(envelopes.openString(known, "ctx", sealed)).isEqualTo("written while kms-service was up");
            assertThat(envelopes.openString(known, "ctx2", envelopes.seal(known, "ctx2", "more"))).isEqualTo("more");

            kms.up();
            assertThat(forgetful.openString(known, "ctx", sealed)).isEqualTo("written while kms-service was up");
        });
    }

    @Test
    void theKmsKeyIsMadeOnceNamedAfterTheServiceAndRememberedAcrossInstances() {
        String database = TestPostgres.shared().createDatabase("kms_key_binding");
        String service = "svc" + UUID.randomUUID().toString().substring(0, 8);
        runner(service, database).run(context -> context.getBean(Envelopes.class).seal(tenant(), "ctx", "value"));
        UUID made = kms.keyNamed("qnsp-" + service).orElseThrow();

        runner(service, database).run(context -> {
            Envelopes.Sealed sealed = context.getBean(Envelopes.class).seal(tenant(), "ctx", "value");
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.queryForList("SELECT key_id FROM qnsp_kms_key WHERE key_name = ?", UUID.class,
                    "qnsp-" + service)).containsExactly(made);
            assertThat(sealed.wrappedKey()).isNotBlank();
        });
        assertThat(kms.keyNamed("qnsp-" + service)).contains(made);
    }

    @Test
    void theKeyTableIsLeftAloneWhenSchemaInitializationIsOff() {
        String database = TestPostgres.shared().createDatabase("kms_no_schema");
        runner("vault", database).withPropertyValues("qnsp.kms-client.schema-initialization=false").run(context -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.tables "
                    + "WHERE table_name = 'qnsp_kms_key'", Integer.class)).isZero();
        });
    }

    @Test
    void settingsNeverShowTheClientSecret() {
        runner("vault").run(context -> assertThat(context.getBean(KmsClientProperties.class).toString())
                .doesNotContain(FakeKms.CLIENT_SECRET).contains("qnsp-vault"));
    }

    private ApplicationContextRunner runner(String service) {
        return runner(service, TestPostgres.shared().createDatabase("kms_client"));
    }

    private ApplicationContextRunner runner(String service, String jdbcUrl) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, KmsClientAutoConfiguration.class))
                .withPropertyValues(database(jdbcUrl))
                .withPropertyValues(
                        "qnsp.kms-client.url=" + kms.url(),
                        "qnsp.kms-client.token-uri=" + kms.url() + "/oauth2/token",
                        "qnsp.kms-client.client-id=" + service,
                        "qnsp.kms-client.client-secret=" + FakeKms.CLIENT_SECRET,
                        "qnsp.kms-client.service=" + service);
    }

    private static String[] database(String jdbcUrl) {
        TestPostgres postgres = TestPostgres.shared();
        return new String[]{"spring.datasource.url=" + jdbcUrl, "spring.datasource.username=" + postgres.user(),
                "spring.datasource.password=" + postgres.password()};
    }

    private static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }
}
