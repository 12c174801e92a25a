package io.qnsp.gateway.dashboard;

import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's static files, read once from the dashboard jar's {@code io/qnsp/dashboard/} resources and kept in
 * memory with a strong ETag (a hash of the content), so a browser revalidates each file cheaply and never runs a
 * stale one after an upgrade. Only plain relative names are looked up: letters, digits, {@code . _ -} and
 * {@code /}, no empty or dot-dot segment.
 */
final class DashboardFiles {

    static final String LOCATION = "io/qnsp/dashboard/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Map<String, MediaType> TYPES = Map.of(
            "html", MediaType.parseMediaType("text/html;charset=utf-8"),
            "js", MediaType.parseMediaType("text/javascript;charset=utf-8"),
            "css", MediaType.parseMediaType("text/css;charset=utf-8"),
            "svg", MediaType.parseMediaType("image/svg+xml"),
            "png", MediaType.IMAGE_PNG,
            "json", MediaType.APPLICATION_JSON);

    /** A file's content, its type and its ETag (quoted, as the header carries it). */
    record File(byte[] content, MediaType type, String etag) {
    }

    private final ClassLoader classLoader;
    private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

    DashboardFiles(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** The file at a path relative to the dashboard's root, when there is one of a type it serves. */
    Optional<File> find(String name) {
        if (name == null || name.length() > 200 || name.contains("..") || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return files.computeIfAbsent(name, this::load);
    }

    private Optional<File> load(String name) {
        int dot = name.lastIndexOf('.');
        MediaType type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = classLoader.getResourceAsStream(LOCATION + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] content = in.readAllBytes();
            return Optional.of(new File(content, type, etag(content)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's " + name, e);
        }
    }

    private static String etag(byte[] content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
