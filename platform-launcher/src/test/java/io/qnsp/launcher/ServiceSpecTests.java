package io.qnsp.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceSpecTests {

    @TempDir
    Path root;

    @Test
    void servicesJoinByConfigurationWithTheirPortJarAndSecrets() throws Exception {
        Files.createDirectories(root.resolve("alpha-service/target"));
        Files.createFile(root.resolve("alpha-service/target/alpha-service-1.0.jar"));
        Properties config = new Properties();
        config.setProperty("services", "alpha-service, beta-service");
        config.setProperty("service.alpha-service.port", "9001");
        config.setProperty("service.alpha-service.secrets", "ALPHA_KEY:key256,ALPHA_TOKEN");
        config.setProperty("service.beta-service.port", "9002");
        config.setProperty("service.beta-service.jar", "/opt/beta.jar");
        config.setProperty("service.beta-service.env", "BETA_ISSUER=http://localhost:9002,BETA_FILE=${home}/beta.txt");
        config.setProperty("service.beta-service.announce", "${home}/beta.txt");

        List<ServiceSpec> specs = ServiceSpec.fromConfig(config, root, root.resolve("home"));

        assertThat(specs).extracting(ServiceSpec::name).containsExactly("alpha-service", "beta-service");
        assertThat(specs.get(0).port()).isEqualTo(9001);
        assertThat(specs.get(0).jar()).isEqualTo(root.resolve("alpha-service/target/alpha-service-1.0.jar"));
        assertThat(specs.get(0).secrets()).containsEntry("ALPHA_KEY", "key256").containsEntry("ALPHA_TOKEN", "token");
        assertThat(specs.get(1).jar()).isEqualTo(Path.of("/opt/beta.jar"));
        assertThat(specs.get(1).environment()).containsEntry("BETA_ISSUER", "http://localhost:9002")
                .containsEntry("BETA_FILE", root.resolve("home").resolve("beta.txt").toString());
        assertThat(specs.get(1).announce()).isEqualTo(root.resolve("home").resolve("beta.txt"));
        assertThat(specs.get(0).announce()).isNull();
        assertThat(specs.get(0).javaOptions()).isEmpty();
    }

    @Test
    void aServiceMayChooseItsOwnCollectorAndTheGlobalOptionsComeLast() throws Exception {
        Properties config = new Properties();
        config.setProperty("services", "alpha-service,beta-service");
        config.setProperty("service.alpha-service.port", "9001");
        config.setProperty("service.alpha-service.jar", "/opt/alpha.jar");
        config.setProperty("java-options", "-Xms32m -Dspring.datasource.hikari.minimum-idle=2");
        config.setProperty("service.alpha-service.java-options", " -XX:+UseZGC   -Xmx512m ");
        config.setProperty("service.beta-service.port", "9002");
        config.setProperty("service.beta-service.jar", "/opt/beta.jar");
        List<ServiceSpec> specs = ServiceSpec.fromConfig(config, root, root);

        List<String> alpha = ServiceProcess.command("java", specs.get(0), List.of("-XX:TieredStopAtLevel=4"));
        assertThat(alpha).doesNotContain("-XX:+UseSerialGC")
                .containsSubsequence("-Xmx384m", "-Xms32m", "-Dspring.datasource.hikari.minimum-idle=2",
                        "-XX:+UseZGC", "-Xmx512m", "-XX:TieredStopAtLevel=4", "-jar", "/opt/alpha.jar");
        assertThat(alpha.getLast()).isEqualTo("/opt/alpha.jar");

        List<String> beta = ServiceProcess.command("java", specs.get(1), List.of());
        assertThat(beta).containsSubsequence("-XX:+UseSerialGC", "-Xms32m", "-jar", "/opt/beta.jar");
        assertThat(ServiceProcess.command("java", specs.get(1), List.of("-XX:+UseG1GC")))
                .contains("-XX:+UseG1GC").doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void aServiceWithoutPortOrBuildIsReportedClearly() {
        Properties noPort = new Properties();
        noPort.setProperty("services", "gamma-service");
        assertThatThrownBy(() -> ServiceSpec.fromConfig(noPort, root, root)).hasMessageContaining("service.gamma-service.port");

        Properties notBuilt = new Properties();
        notBuilt.setProperty("services", "gamma-service");
        notBuilt.setProperty("service.gamma-service.port", "9003");
        assertThatThrownBy(() -> ServiceSpec.fromConfig(notBuilt, root, root)).hasMessageContaining("./mvnw");
    }
}
