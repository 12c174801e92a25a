package io.qnsp.storage.replication;

import io.qnsp.storage.content.Volume;
import io.qnsp.storage.content.Volumes;
import io.qnsp.storage.object.ObjectStore;
import io.qnsp.storage.object.StoredObject;
import io.qnsp.storage.object.StoredObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Makes the copies replication configurations ask for. A copy is written to a temp file in the destination volume,
 * moved into place, then read back and compared (SHA-256 of the encrypted file, or MD5 of the decrypted content
 * against the object's ETag) before it counts; older versions there are removed. A copy that fails is retried with a
 * doubling pause, its attempts and last error shown in the replication status. Tasks are claimed
 * {@code FOR UPDATE SKIP LOCKED} with a lease, so several instances share them.
 */
@Component
public class ReplicationWorker {

    private static final Logger log = LoggerFactory.getLogger(ReplicationWorker.class);

    private final Replications replications;
    private final StoredObjects objects;
    private final ObjectStore store;
    private final Volumes volumes;
    private final ReplicationSettings settings;
    private final Clock clock;

    ReplicationWorker(Replications replications, StoredObjects objects, ObjectStore store, Volumes volumes,
                      ReplicationSettings settings, Clock clock) {
        this.replications = replications;
        this.objects = objects;
        this.store = store;
        this.volumes = volumes;
        this.settings = settings;
        this.clock = clock;
    }

    /** Makes the copies due now, a batch at a time; how many it attempted. */
    @Scheduled(fixedDelayString = "${qnsp.storage.replication.poll-interval:2s}")
    public int run() {
        int attempted = 0;
        for (List<CopyTask> batch = claim(); !batch.isEmpty(); batch = claim()) {
            batch.forEach(this::process);
            attempted += batch.size();
        }
        return attempted;
    }

    private List<CopyTask> claim() {
        Instant now = clock.instant();
        return replications.claim(now, now.plus(settings.lease()), settings.batchSize());
    }

    /** Makes one queued copy now, if no instance has it (sync replication, in the request that wrote the object). */
    void runNow(long taskId) {
        Instant now = clock.instant();
        replications.claim(taskId, now, now.plus(settings.lease())).ifPresent(this::process);
    }

    private void process(CopyTask task) {
        Instant started = clock.instant();
        try {
            Optional<Volume> destination = volumes.replica(task.region());
            if (destination.isEmpty()) {
                throw new IOException("region " + task.region() + " is not configured on this instance");
            }
            Volume volume = destination.get();
            if (task.kind().equals(CopyTask.DELETE)) {
                volume.deleteObject(task.objectId());
                replications.removed(task);
                replications.succeeded(task.taskId(), clock.instant(), millisSince(started));
                return;
            }
            Optional<StoredObject> current = objects.find(task.tenantId(), task.objectId())
                    .filter(o -> o.versionId().equals(task.versionId()));
            if (current.isEmpty()) {
                // rewritten or deleted since: the newer task does what is needed
                replications.superseded(task.taskId());
                return;
            }
            StoredObject object = current.get();
            Path target = volume.contentFile(object.objectId(), object.versionId(), task.encrypted());
            if (task.encrypted()) {
                copyEncrypted(object, volume, target);
            } else {
                copyDecrypted(object, volume, target);
            }
            removeOtherVersions(volume, object, task.encrypted());
            Instant done = clock.instant();
            replications.replicated(task, object.size(), done);
            replications.succeeded(task.taskId(), done, millisSince(started));
        } catch (Exception e) {
            int failures = task.attempts() + 1;
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.warn("copy of object {} to region {} failed (attempt {}): {}", task.objectId(), task.region(),
                    failures, error);
            replications.failed(task.taskId(), error, clock.instant().plus(settings.backoff(failures)));
        }
    }

    private void copyEncrypted(StoredObject object, Volume volume, Path target) throws IOException {
        Path source = store.encryptedFile(object);
        Path temp = volume.newTempFile();
        try {
            String written;
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), sha256());
                 OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
                written = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            }
            volume.install(temp, target);
            String copied = digest(target, sha256());
            if (!copied.equals(written)) {
                volume.delete(target);
                throw new IOException("the copy in region " + volume.region() + " differs from the original");
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void copyDecrypted(StoredObject object, Volume volume, Path target) throws IOException {
        Path temp = volume.newTempFile();
        try {
            try (InputStream in = store.content(object); OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            volume.install(temp, target);
            if (!digest(target, md5()).equals(object.etag())) {
                volume.delete(target);
                throw new IOException("the copy in region " + volume.region() + " does not match the object's ETag");
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void removeOtherVersions(Volume volume, StoredObject object, boolean encrypted) throws IOException {
        Path directory = volume.objectDirectory(object.objectId(), encrypted);
        try (var versions = Files.list(directory)) {
            for (Path version : versions.toList()) {
                if (!version.getFileName().toString().equals(object.versionId().toString())) {
                    volume.delete(version);
                }
            }
        }
    }

    private static String digest(Path file, MessageDigest digest) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private long millisSince(Instant started) {
        return Math.max(0, clock.instant().toEpochMilli() - started.toEpochMilli());
    }

    private static MessageDigest sha256() {
        return algorithm("SHA-256");
    }

    private static MessageDigest md5() {
        return algorithm("MD5");
    }

    private static MessageDigest algorithm(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " unavailable", e);
        }
    }
}
