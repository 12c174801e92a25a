package io.qnsp.audit.retention;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Writes cleanup archives: gzip-compressed JSON lines, one event per line, at
 * {@code <archive-directory>/<owner>/<destination>/<executionId>.jsonl.gz}. A file is written under a temporary name,
 * flushed to disk and only then renamed into place, so a file with the final name is always complete; if the
 * cleanup's transaction then rolls back, the file is removed again.
 */
@Component
class EventArchives {

    private static final Logger log = LoggerFactory.getLogger(EventArchives.class);

    static final String SUFFIX = ".jsonl.gz";
    /** The platform operator's directory: '~' is outside the alphabet of tenant directories, so none can be it. */
    static final String PLATFORM_DIRECTORY = "~platform";

    // Tenant ids that can stand as a directory name as they are; lower case only, so that no two tenants share a
    // directory on a case-insensitive file system. Any other id is replaced by '~' and its SHA-256.
    private static final Pattern PLAIN_TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,199}");

    private final RetentionSettings settings;
    private final JsonMapper json;

    EventArchives(RetentionSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
    }

    /**
     * Writes the events {@code source} hands over into a new archive and returns its path relative to the archive
     * directory. Any failure to write is an {@link ArchiveUnavailable}, with nothing left behind.
     */
    String write(RetentionOwner owner, String destination, UUID executionId,
                 Consumer<Consumer<RetainedEvents.ArchivedEvent>> source) {
        Path root = root();
        Path ownerDirectory = root.resolve(directoryOf(owner));
        Path directory = ownerDirectory.resolve(destination).normalize();
        // ArchiveConfig admits no '..' or absolute names; this check keeps that promise should the rule ever change
        if (!directory.startsWith(ownerDirectory)) {
            throw new IllegalStateException("archive destination escapes the owner's directory");
        }
        Path target = directory.resolve(executionId + SUFFIX);
        Path partial = directory.resolve(executionId + SUFFIX + ".part");
        boolean started = false;
        try {
            Files.createDirectories(directory);
            // a symbolic link placed inside the archive tree must not lead a tenant's files elsewhere
            if (!directory.toRealPath().startsWith(ownerDirectory.toRealPath())) {
                throw new IOException("archive directory " + directory + " leads outside " + ownerDirectory);
            }
            started = true;
            writeCompressed(partial, source);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(directory);
        } catch (IOException | UncheckedIOException | JacksonException e) {
            log.warn("Could not write retention archive {}: {}", target, e.toString());
            if (started) {
                deleteQuietly(partial);
            }
            throw new ArchiveUnavailable();
        } catch (RuntimeException | Error e) {
            if (started) {
                deleteQuietly(partial);
            }
            throw e;
        }
        removeOnRollback(target);
        return root.relativize(target).toString();
    }

    /** The directory name of an owner's archives, directly below the archive directory. */
    static String directoryOf(RetentionOwner owner) {
        if (owner.platform()) {
            return PLATFORM_DIRECTORY;
        }
        String tenant = owner.tenantId();
        return PLAIN_TENANT.matcher(tenant).matches() ? tenant : "~" + sha256(tenant);
    }

    Path root() {
        return settings.archiveDirectory().toAbsolutePath().normalize();
    }

    private void writeCompressed(Path file, Consumer<Consumer<RetainedEvents.ArchivedEvent>> source)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             GZIPOutputStream gzip = new GZIPOutputStream(Channels.newOutputStream(channel), 64 * 1024);
             Writer writer = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 64 * 1024)) {
            source.accept(event -> {
                try {
                    writer.write(json.writeValueAsString(event));
                    writer.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
            gzip.finish();
            channel.force(true);
        }
    }

    private static void syncDirectory(Path directory) {
        // makes the rename durable; not every platform can open a directory, and the file itself is already synced
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("Could not sync directory {}: {}", directory, e.toString());
        }
    }

    private static void removeOnRollback(Path target) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_ROLLED_BACK) {
                    // the events were not deleted; an archive of them would suggest otherwise
                    deleteQuietly(target);
                }
            }
        });
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", file, e.toString());
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
