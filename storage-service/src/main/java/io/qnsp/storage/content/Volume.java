package io.qnsp.storage.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * A region's directory of object content. A content version lives at {@code objects/<xx>/<objectId>/<versionId>}
 * (encrypted), or under {@code plain/} for a replica kept decrypted; uploads are written under {@code tmp/} and moved
 * into place once complete, so a reader never sees half a file.
 */
public final class Volume {

    private final String region;
    private final Path root;

    public Volume(String region, Path root) {
        this.region = region;
        this.root = root.toAbsolutePath().normalize();
    }

    public String region() {
        return region;
    }

    public Path root() {
        return root;
    }

    /** Where a content version is kept, encrypted or (in a replica that asked for it) decrypted. */
    public Path contentFile(UUID objectId, UUID versionId, boolean encrypted) {
        String id = objectId.toString();
        return root.resolve(encrypted ? "objects" : "plain").resolve(id.substring(0, 2)).resolve(id)
                .resolve(versionId.toString());
    }

    /** The directory holding every version of an object, encrypted or decrypted. */
    public Path objectDirectory(UUID objectId, boolean encrypted) {
        String id = objectId.toString();
        return root.resolve(encrypted ? "objects" : "plain").resolve(id.substring(0, 2)).resolve(id);
    }

    /** A new, empty file to write an upload or a copy into before it is moved into place. */
    public Path newTempFile() throws IOException {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        return Files.createFile(tmp.resolve(UUID.randomUUID() + ".part"));
    }

    /** Moves a complete temp file into place, replacing what is there. */
    public void install(Path temp, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file and the object directories it leaves empty; a file already gone is no failure. */
    public void delete(Path file) {
        try {
            Files.deleteIfExists(file);
            Path directory = file.getParent();
            for (int i = 0; i < 2 && directory != null && directory.startsWith(root) && !directory.equals(root);
                 i++) {
                try (var entries = Files.list(directory)) {
                    if (entries.findAny().isPresent()) {
                        break;
                    }
                }
                Files.deleteIfExists(directory);
                directory = directory.getParent();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every version of an object kept here, encrypted and decrypted. */
    public void deleteObject(UUID objectId) {
        for (boolean encrypted : new boolean[]{true, false}) {
            Path directory = objectDirectory(objectId, encrypted);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (var versions = Files.list(directory)) {
                for (Path version : versions.toList()) {
                    delete(version);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Whether the volume takes writes now: its directory exists (or can be made) and a file can be written and
     * removed there. The reason it does not, otherwise.
     */
    public String probe() {
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".probe-", ".tmp");
            Files.delete(probe);
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
