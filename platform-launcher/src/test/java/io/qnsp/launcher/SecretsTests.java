package io.qnsp.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsTests {

    @TempDir
    Path home;

    @Test
    void secretsAreGeneratedOnceAndReusedAfterARestart() throws Exception {
        Path file = home.resolve("secrets.properties");
        Secrets first = Secrets.loadOrCreate(file);
        String token = first.get("QNSP_TEST_ONLY_TOKEN", "token");
        String key = first.get("QNSP_TEST_ONLY_KEY", "key256");
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        assertThat(token).isNotEqualTo(Secrets.loadOrCreate(home.resolve("other.properties"))
                .get("QNSP_TEST_ONLY_TOKEN", "token"));

        Secrets afterRestart = Secrets.loadOrCreate(file);
        assertThat(afterRestart.get("QNSP_TEST_ONLY_TOKEN", "token")).isEqualTo(token);
        assertThat(afterRestart.get("QNSP_TEST_ONLY_KEY", "key256")).isEqualTo(key);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void anUnknownKindIsAConfigurationError() throws Exception {
        Secrets secrets = Secrets.loadOrCreate(home.resolve("secrets.properties"));
        assertThatThrownBy(() -> secrets.get("QNSP_TEST_ONLY_X", "password")).hasMessageContaining("password");
    }
}
