package io.qnsp.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When a service trains its AOT cache, when it uses it, and when it starts without one. */
class AotCacheTests {

    @TempDir
    Path root;

    @Test
    void aCacheBelongsToOneBuildOfTheJarOneJvmAndOneSetOfOptions() throws Exception {
        Path jar = Files.writeString(root.resolve("alpha-service-1.0.jar"), "a build");
        String key = AotCache.key(jar, "/jdk/bin/java", List.of("-Xmx384m"));

        assertThat(AotCache.key(jar, "/jdk/bin/java", List.of("-Xmx384m"))).isEqualTo(key);
        assertThat(AotCache.key(jar, "/jdk/bin/java", List.of("-Xmx256m"))).isNotEqualTo(key);
        assertThat(AotCache.key(jar, "/other-jdk/bin/java", List.of("-Xmx384m"))).isNotEqualTo(key);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(AotCache.key(jar, "/jdk/bin/java", List.of("-Xmx384m"))).isNotEqualTo(key);
    }

    @Test
    void theFirstStartWithABuildTrainsAndTheNextUsesTheCache() throws Exception {
        Path jar = Files.writeString(root.resolve("alpha-service-1.0.jar"), "a build");
        ServiceSpec spec = new ServiceSpec("alpha-service", 9001, jar, Map.of(), Map.of(), null, List.of());
        Path home = root.resolve("home");
        Path log = Files.createFile(root.resolve("alpha-service.log"));
        // as the extraction leaves it (AotCache.prepare extracts only when the marker is missing)
        Path directory = home.resolve("aot/alpha-service").resolve(AotCache.key(jar, "java", List.of()));
        Files.createDirectories(directory.resolve("app"));
        Files.writeString(directory.resolve("app/alpha-service-1.0.jar"), "extracted");
        Files.createFile(directory.resolve("extracted"));

        AotCache training = AotCache.prepare(spec, "java", List.of(), home, log);
        assertThat(training.training()).isTrue();
        assertThat(training.jar()).isEqualTo(directory.resolve("app/alpha-service-1.0.jar"));
        assertThat(training.options()).contains("-XX:AOTMode=record",
                "-XX:AOTConfiguration=" + directory.resolve("alpha-service.aotconf"));

        Files.writeString(directory.resolve("alpha-service.aot"), "the cache the training run wrote");
        AotCache using = AotCache.prepare(spec, "java", List.of(), home, log);
        assertThat(using.training()).isFalse();
        assertThat(using.options()).containsExactly("-XX:AOTCache=" + directory.resolve("alpha-service.aot"));

        // a training run killed before it finished may leave half a configuration: it is dropped, no cache is
        // assembled from it, and the next start without a cache trains again
        Files.delete(directory.resolve("alpha-service.aot"));
        Files.writeString(directory.resolve("alpha-service.aotconf"), "half");
        training.discardUnfinished();
        assertThat(directory.resolve("alpha-service.aotconf")).doesNotExist();
        assertThat(training.create(List.of("java"), log)).isFalse();
        assertThat(AotCache.prepare(spec, "java", List.of(), home, log).training()).isTrue();
    }

    @Test
    void aJarThatCannotBeExtractedRunsAsItIsAndTheLogSaysWhy() throws Exception {
        Path jar = Files.writeString(root.resolve("beta-service-1.0.jar"), "not a jar at all");
        ServiceSpec spec = new ServiceSpec("beta-service", 9002, jar, Map.of(), Map.of(), null, List.of());
        Path log = Files.createFile(root.resolve("beta-service.log"));
        String java = ProcessHandle.current().info().command().orElseThrow();

        AotCache cache = AotCache.prepare(spec, java, List.of(), root.resolve("home"), log);

        assertThat(cache.jar()).isEqualTo(jar);
        assertThat(cache.options()).isEmpty();
        assertThat(cache.training()).isFalse();
        assertThat(Files.readString(log)).contains("Could not extract " + jar);
        assertThat(root.resolve("home/aot/beta-service")).doesNotExist();
    }

    @Test
    void onlyAnExplicitNoSwitchesCachesOff() {
        assertThat(AotCache.enabled(null)).isTrue();
        assertThat(AotCache.enabled("on")).isTrue();
        assertThat(AotCache.enabled("off")).isFalse();
        assertThat(AotCache.enabled(" FALSE ")).isFalse();
    }
}
