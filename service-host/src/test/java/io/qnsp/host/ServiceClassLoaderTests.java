package io.qnsp.host;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A hosted service sees its own classes, the libraries it ships and the JDK, and nothing another service brought. */
class ServiceClassLoaderTests {

    @TempDir
    Path root;

    private URLClassLoader shared;
    private ServiceClassLoader service;

    @BeforeEach
    void twoLibrariesOnTheSharedClassPathAndAServiceThatShipsOne() throws IOException {
        Path alpha = library("alpha-1.0.jar", "alpha.Alpha", "from alpha");
        Path beta = library("beta-2.0.jar", "beta.Beta", "from beta");
        shared = new URLClassLoader(new URL[] {alpha.toUri().toURL(), beta.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        Path classes = compile(root.resolve("classes"), "own.Own");
        Files.writeString(classes.resolve("application.yml"), "own: true");
        service = new ServiceClassLoader("one-service", classes.toUri().toURL(), Set.of("alpha-1.0.jar"), shared);
    }

    @Test
    void aLibraryTheServiceShipsComesFromTheSharedClassPathOnce() throws Exception {
        Class<?> alpha = service.loadClass("alpha.Alpha");

        assertThat(alpha.getClassLoader()).isSameAs(shared);
        assertThat(shared.loadClass("alpha.Alpha")).isSameAs(alpha);
    }

    @Test
    void aLibraryOnlyAnotherServiceShipsIsInvisible() throws Exception {
        assertThatThrownBy(() -> service.loadClass("beta.Beta")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("beta.Beta", false, service))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(service.getResource("beta.txt")).isNull();
        // the shared class path itself still has it, for the service that ships it
        assertThat(shared.loadClass("beta.Beta")).isNotNull();
    }

    @Test
    void resourcesFoundInSeveralLibrariesAreThoseOfTheServiceOnly() throws Exception {
        List<URL> found = Collections.list(service.getResources("META-INF/marker.txt"));

        assertThat(found).hasSize(1);
        try (var in = found.getFirst().openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from alpha");
        }
        assertThat(Collections.list(shared.getResources("META-INF/marker.txt"))).hasSize(2);
        assertThat(service.getResource("META-INF/marker.txt")).isEqualTo(found.getFirst());
    }

    @Test
    void theServicesOwnClassesAndResourcesAndTheJdkAreVisible() throws Exception {
        Class<?> own = service.loadClass("own.Own");

        assertThat(own.getClassLoader()).isSameAs(service);
        assertThat(service.getResource("application.yml")).isNotNull();
        assertThat(service.loadClass("java.sql.ResultSet")).isNotNull();
        assertThat(service.loadClass("java.lang.String")).isSameAs(String.class);
    }

    /** A jar with one compiled class and a resource both libraries have, plus one of its own. */
    private Path library(String name, String className, String marker) throws IOException {
        Path classes = compile(root.resolve(name + "-classes"), className);
        Path jar = root.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path path : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(path).toString()));
                    out.write(Files.readAllBytes(path));
                    out.closeEntry();
                }
            }
            out.putNextEntry(new JarEntry("META-INF/marker.txt"));
            out.write(marker.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new JarEntry(className.substring(0, className.indexOf('.')) + ".txt"));
            out.write(marker.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static Path compile(Path output, String className) throws IOException {
        Path sources = Files.createDirectories(output.resolveSibling(output.getFileName() + "-src"));
        String packageName = className.substring(0, className.lastIndexOf('.'));
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        Path source = Files.writeString(sources.resolve(simpleName + ".java"),
                "package " + packageName + "; public class " + simpleName + " {}");
        Files.createDirectories(output);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", output.toString(), source.toString());
        assertThat(status).isZero();
        return output;
    }
}
