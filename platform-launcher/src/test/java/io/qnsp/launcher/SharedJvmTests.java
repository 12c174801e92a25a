package io.qnsp.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which services share the JVM, how their jars are unpacked, and what the host is told. */
class SharedJvmTests {

    @TempDir
    Path root;

    @Test
    void theConfiguredServicesShareOneJvmUnlessSwitchedOffOrOnlyOneIsLeft() throws Exception {
        Path project = hostBuild();
        List<ServiceSpec> specs = List.of(spec("alpha-service", Map.of()), spec("beta-service", Map.of()),
                spec("gateway-service", Map.of()));
        Properties config = new Properties();
        config.setProperty("shared-jvm.services", "alpha-service, beta-service,not-configured-service");
        config.setProperty("java-options", "-Xms32m");
        config.setProperty("shared-jvm.java-options", "-Xmx2g -XX:+UseG1GC");

        SharedJvm shared = SharedJvm.configure(config, specs, project, null);
        assertThat(shared.hosted()).extracting(ServiceSpec::name).containsExactly("alpha-service", "beta-service");
        assertThat(shared.hosts(specs.get(2))).isFalse();

        assertThat(SharedJvm.configure(config, specs, project, "off").isEmpty()).isTrue();
        config.setProperty("shared-jvm.services", "alpha-service");
        assertThat(SharedJvm.configure(config, specs, project, null).isEmpty()).isTrue();
    }

    @Test
    void eachServiceIsUnpackedOnceAndTheLibrariesTheyShareAreStoredOnce() throws Exception {
        Path project = hostBuild();
        byte[] common = "common library".getBytes(StandardCharsets.UTF_8);
        ServiceSpec alpha = spec("alpha-service", Map.of("common-1.0.jar", common,
                "only-alpha-2.0.jar", "alpha's own".getBytes(StandardCharsets.UTF_8)));
        ServiceSpec beta = spec("beta-service", Map.of("common-1.0.jar", common));
        Properties config = new Properties();
        config.setProperty("shared-jvm.services", "alpha-service,beta-service");
        config.setProperty("shared-jvm.java-options", "-Xmx2g");
        SharedJvm shared = SharedJvm.configure(config, List.of(alpha, beta), project, null);
        Path home = root.resolve("home");

        ServiceSpec host = shared.prepare(home);

        assertThat(host.name()).isEqualTo(SharedJvm.NAME);
        assertThat(host.javaOptions()).containsExactly("-Xmx2g");
        Manifest manifest;
        try (JarFile jar = new JarFile(host.jar().toFile())) {
            manifest = jar.getManifest();
        }
        assertThat(manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS))
                .isEqualTo("io.qnsp.host.ServiceHost");
        List<Path> classPath = List.of(manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH).split(" "))
                .stream().map(entry -> Path.of(URI.create(entry))).toList();
        assertThat(classPath.getFirst().getFileName().toString()).isEqualTo("service-host-1.0.jar");
        // three jars on the class path: the host's, the common library once, alpha's own
        assertThat(classPath).hasSize(3);
        assertThat(classPath.subList(1, 3)).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("common-1.0.jar", "only-alpha-2.0.jar");
        Path commonCopy = classPath.stream().filter(p -> p.endsWith("common-1.0.jar")).findFirst().orElseThrow();
        assertThat(Files.readAllBytes(commonCopy)).isEqualTo(common);

        Properties plan = shared.plan(root.resolve("logs"), Map.of("alpha-service", Map.of("PORT", "9001",
                "QNSP_SECRET", "s3cret")));
        assertThat(plan.getProperty("services")).isEqualTo("alpha-service,beta-service");
        assertThat(plan.getProperty("service.alpha-service.main-class")).isEqualTo("io.example.AlphaApplication");
        assertThat(plan.getProperty("service.alpha-service.libraries").split(","))
                .containsExactlyInAnyOrder("common-1.0.jar", "only-alpha-2.0.jar");
        assertThat(plan.getProperty("service.beta-service.libraries")).isEqualTo("common-1.0.jar");
        assertThat(plan.getProperty("service.alpha-service.env.QNSP_SECRET")).isEqualTo("s3cret");
        Path alphaClasses = Path.of(plan.getProperty("service.alpha-service.classes"));
        assertThat(alphaClasses.resolve("application.yml")).hasContent("alpha: application");
        assertThat(alphaClasses.resolve("io/example/AlphaApplication.class")).exists();

        // an unchanged build: nothing is rewritten, so the host's AOT cache key stays the same
        Files.setLastModifiedTime(host.jar(), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        assertThat(Files.getLastModifiedTime(shared.prepare(home).jar()))
                .isEqualTo(FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        // a rebuilt host (or library) rewrites the class-path jar, which changes the key
        Files.setLastModifiedTime(classPath.getFirst(), FileTime.from(Instant.now().plusSeconds(120)));
        assertThat(Files.getLastModifiedTime(shared.prepare(home).jar())).isNotEqualTo(
                FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    }

    @Test
    void aSnapshotRebuiltUnderTheSameNameGetsACopyOfItsOwn() throws Exception {
        Path project = hostBuild();
        Properties config = new Properties();
        config.setProperty("shared-jvm.services", "alpha-service,beta-service");
        ServiceSpec alpha = spec("alpha-service", Map.of("lib-1.0-SNAPSHOT.jar", "first".getBytes()));
        ServiceSpec beta = spec("beta-service", Map.of("lib-1.0-SNAPSHOT.jar", "first".getBytes()));
        Path first = SharedJvm.Hosted.unpack(alpha, root.resolve("home/shared-jvm")).libraries().getFirst();
        assertThat(SharedJvm.Hosted.unpack(beta, root.resolve("home/shared-jvm")).libraries().getFirst())
                .isEqualTo(first);

        ServiceSpec rebuilt = spec("alpha-service", Map.of("lib-1.0-SNAPSHOT.jar", "second".getBytes()));
        Path second = SharedJvm.Hosted.unpack(rebuilt, root.resolve("home/shared-jvm")).libraries().getFirst();

        assertThat(second).isNotEqualTo(first);
        assertThat(second.getFileName()).isEqualTo(first.getFileName());
        assertThat(Files.readString(second)).isEqualTo("second");
        assertThat(Files.readString(first)).isEqualTo("first");
        assertThat(project).exists();
    }

    @Test
    void servicesShippingDifferentBuildsOfOneLibraryAreRefusedNamingIt() throws Exception {
        hostBuild();
        Properties config = new Properties();
        config.setProperty("shared-jvm.services", "alpha-service,beta-service,gamma-service");
        ServiceSpec alpha = spec("alpha-service", Map.of("common-1.0-SNAPSHOT.jar", "rebuilt".getBytes(),
                "shared-2.0.jar", "same".getBytes()));
        ServiceSpec beta = spec("beta-service", Map.of("common-1.0-SNAPSHOT.jar", "stale".getBytes(),
                "shared-2.0.jar", "same".getBytes()));
        ServiceSpec gamma = spec("gamma-service", Map.of("shared-2.0.jar", "same".getBytes()));
        SharedJvm shared = SharedJvm.configure(config, List.of(alpha, beta, gamma), root.resolve("project"), null);

        assertThatThrownBy(() -> shared.prepare(root.resolve("home")))
                .isInstanceOf(LaunchFailure.class)
                .hasMessageContaining("common-1.0-SNAPSHOT.jar (alpha-service | beta-service)")
                .hasMessageNotContaining("shared-2.0.jar")
                .hasMessageContaining("QNSP_SHARED_JVM=off");
    }

    /** A project root with a build of the host's own module. */
    private Path hostBuild() throws IOException {
        Path project = root.resolve("project");
        Path target = Files.createDirectories(project.resolve("service-host/target"));
        Files.writeString(target.resolve("service-host-1.0.jar"), "the host's classes");
        return project;
    }

    /** A Spring Boot executable jar of a service with the given libraries, written under a new name each time. */
    private ServiceSpec spec(String name, Map<String, byte[]> libraries) throws IOException {
        Path jar = Files.createTempFile(Files.createDirectories(root.resolve("builds")), name + "-", ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Start-Class", "io.example." + capitalised(name) + "Application");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            put(out, "BOOT-INF/classes/application.yml",
                    (name.substring(0, name.indexOf('-')) + ": application").getBytes(StandardCharsets.UTF_8));
            put(out, "BOOT-INF/classes/io/example/" + capitalised(name) + "Application.class", new byte[] {1, 2, 3});
            for (Map.Entry<String, byte[]> library : libraries.entrySet()) {
                stored(out, "BOOT-INF/lib/" + library.getKey(), library.getValue());
            }
        }
        return new ServiceSpec(name, 9000, jar, Map.of(), Map.of(), null, List.of());
    }

    private static String capitalised(String service) {
        String word = service.substring(0, service.indexOf('-'));
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

    /** As Spring Boot stores nested jars: uncompressed, with size and checksum in the entry. */
    private static void stored(JarOutputStream out, String name, byte[] content) throws IOException {
        JarEntry entry = new JarEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(content);
        out.closeEntry();
    }
}
