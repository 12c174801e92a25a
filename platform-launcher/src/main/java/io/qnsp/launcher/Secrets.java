package io.qnsp.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The platform's generated secrets, created on first start and kept (owner-readable only) so that data encrypted
 * under them stays readable across restarts. A variable already set in the environment wins.
 */
final class Secrets {

    private final Path file;
    private final Properties values;
    private final SecureRandom random = new SecureRandom();

    private Secrets(Path file, Properties values) {
        this.file = file;
        this.values = values;
    }

    static Secrets loadOrCreate(Path file) throws IOException {
        Properties values = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                values.load(in);
            }
        }
        return new Secrets(file, values);
    }

    /** The secret named {@code variable}, generated of {@code kind} ({@code token} or {@code key256}) if new. */
    synchronized String get(String variable, String kind) {
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        String value = values.getProperty(variable);
        if (value == null) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            value = switch (kind) {
                case "token" -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                case "key256" -> Base64.getEncoder().encodeToString(bytes);
                default -> throw new IllegalArgumentException("unknown secret kind " + kind + " for " + variable);
            };
            values.setProperty(variable, value);
            save();
        }
        return value;
    }

    private void save() {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
                PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
                if (posix != null) {
                    posix.setPermissions(PosixFilePermissions.fromString("rw-------"));
                }
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                values.store(out, "QNSP platform secrets: keep private; data encrypted under them needs them");
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not save secrets to " + file, e);
        }
    }
}
