package io.qnsp.storage.object;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.kms.DataKey;
import io.qnsp.common.kms.Envelopes;
import io.qnsp.storage.StorageSettings;
import io.qnsp.storage.content.ContentCipher;
import io.qnsp.storage.content.Volume;
import io.qnsp.storage.content.Volumes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.http.InvalidMediaTypeException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Buckets and objects. An upload is streamed from the request straight through encryption (a data key of the
 * tenant's from kms-service, {@link ContentCipher}) into a temp file on the volume, never held in memory; only then
 * is the object's row written, under a lock on the key, and the file moved into place. A download streams the file
 * back through decryption. Overwrites and deletions ask every {@link ObjectChangeGuard} (legal holds, retention)
 * first, before the body is read and again under the lock.
 */
@Service
public class ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(ObjectStore.class);
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final int MAX_KEY_BYTES = 1024;
    private static final int IO_BUFFER = 256 * 1024;

    /** The outcome of an upload: the object as recorded, and whether the key was new. */
    public record Put(StoredObject object, boolean created) {
    }

    /** A page of a listing, and where the next one starts when there is more. */
    public record Listing(List<StoredObject> objects, @Nullable String nextContinuationToken) {
    }

    private final Buckets buckets;
    private final StoredObjects objects;
    private final Volumes volumes;
    private final Envelopes envelopes;
    private final StorageSettings settings;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher publisher;
    private final List<ObjectChangeGuard> guards;
    private final ObjectAudit audit;
    private final Clock clock;

    ObjectStore(Buckets buckets, StoredObjects objects, Volumes volumes, Envelopes envelopes, StorageSettings settings,
                PlatformTransactionManager transactions, ApplicationEventPublisher publisher,
                List<ObjectChangeGuard> guards, ObjectAudit audit, Clock clock) {
        this.buckets = buckets;
        this.objects = objects;
        this.volumes = volumes;
        this.envelopes = envelopes;
        this.settings = settings;
        this.transactions = new TransactionTemplate(transactions);
        this.publisher = publisher;
        this.guards = guards;
        this.audit = audit;
        this.clock = clock;
    }

    // --- buckets

    public Bucket createBucket(String tenantId, String name, String actor) {
        validateBucketName(name);
        Bucket bucket = new Bucket(UUID.randomUUID(), tenantId, name, volumes.home().region(), actor,
                clock.instant());
        if (!buckets.insert(bucket)) {
            throw new BucketExists();
        }
        return bucket;
    }

    public List<BucketUsage> buckets(String tenantId) {
        return buckets.usage(tenantId);
    }

    public BucketUsage bucket(String tenantId, String name) {
        return buckets.usage(buckets.find(tenantId, name).orElseThrow(BucketNotFound::new));
    }

    /** The tenant's bucket of that name. */
    public Optional<Bucket> findBucket(String tenantId, String name) {
        return buckets.find(tenantId, name);
    }

    public void deleteBucket(String tenantId, String name) {
        transactions.executeWithoutResult(status -> {
            Bucket bucket = buckets.lock(tenantId, name).orElseThrow(BucketNotFound::new);
            long count = buckets.usage(bucket).objectCount();
            if (count > 0) {
                throw new BucketNotEmpty(count);
            }
            buckets.delete(bucket.bucketId());
        });
    }

    // --- objects

    /**
     * Stores what {@code body} yields under the key, creating the object or replacing its content.
     *
     * @throws BucketNotFound                       when the tenant has no such bucket
     * @throws io.qnsp.common.kms.DependencyDown    when kms-service cannot give a data key (nothing is stored)
     */
    public Put put(String tenantId, String bucketName, String key, @Nullable String contentType, InputStream body,
                   String actor) {
        try {
            validateKey(key);
            String type = contentType(contentType);
            Bucket bucket = buckets.find(tenantId, bucketName).orElseThrow(BucketNotFound::new);
            objects.find(bucket.bucketId(), key).ifPresent(existing -> checkChange(existing,
                    ObjectChangeGuard.Change.OVERWRITE));
            UUID versionId = UUID.randomUUID();
            Volume home = volumes.home();
            Path temp = home.newTempFile();
            ContentCipher.Written written;
            String wrappedKey;
            try {
                DataKey dataKey = envelopes.currentDataKey(tenantId);
                wrappedKey = dataKey.wrapped();
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), IO_BUFFER)) {
                    written = ContentCipher.encrypt(UploadBroken.tracking(body), out, dataKey.plaintext(),
                            ContentCipher.associatedData(tenantId, versionId.toString()),
                            (int) settings.chunkSize().toBytes(), settings.maxObjectSize().toBytes());
                } finally {
                    Arrays.fill(dataKey.plaintext(), (byte) 0);
                }
            } catch (ContentCipher.TooLarge e) {
                deleteQuietly(temp);
                throw new ObjectTooLarge(settings.maxObjectSize().toBytes());
            } catch (UploadBroken.Failed e) {
                deleteQuietly(temp);
                log.info("an upload to bucket {} broke off: {}", bucketName, e.getMessage());
                throw new UploadBroken();
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temp);
                throw e;
            }
            Put put;
            try {
                put = commit(tenantId, bucketName, key, type, versionId, written, wrappedKey, temp, actor);
            } catch (DuplicateKeyException raced) {
                // another upload created the key meanwhile: this one replaces it
                put = commit(tenantId, bucketName, key, type, versionId, written, wrappedKey, temp, actor);
            } finally {
                deleteQuietly(temp);
            }
            publisher.publishEvent(new ObjectWriteCommitted(put.object()));
            return put;
        } catch (ApiException e) {
            audit.refused(tenantId, actor, bucketName, e.status().value(), e.code());
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be written to the volume", e);
        }
    }

    private Put commit(String tenantId, String bucketName, String key, String contentType, UUID versionId,
                       ContentCipher.Written written, String wrappedKey, Path temp, String actor) {
        Volume home = volumes.home();
        return transactions.execute(status -> {
            Bucket bucket = buckets.share(tenantId, bucketName).orElseThrow(BucketNotFound::new);
            Optional<StoredObject> current = objects.lock(bucket.bucketId(), key);
            current.ifPresent(existing -> checkChange(existing, ObjectChangeGuard.Change.OVERWRITE));
            Instant now = clock.instant();
            StoredObject stored = new StoredObject(current.map(StoredObject::objectId).orElseGet(UUID::randomUUID),
                    tenantId, bucket.bucketId(), bucket.name(), key, versionId, written.size(), written.md5(),
                    contentType, wrappedKey, current.map(StoredObject::storageClass).orElse(StoredObject.STANDARD),
                    current.map(StoredObject::createdAt).orElse(now), now, actor);
            if (current.isPresent()) {
                objects.replaceContent(stored);
            } else {
                objects.insert(stored);
            }
            Path target = home.contentFile(stored.objectId(), versionId, true);
            try {
                home.install(temp, target);
            } catch (IOException e) {
                throw new UncheckedIOException("the upload could not be moved into place", e);
            }
            Path replaced = current.map(c -> home.contentFile(c.objectId(), c.versionId(), true)).orElse(null);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int outcome) {
                    if (outcome == STATUS_COMMITTED) {
                        if (replaced != null) {
                            deleteQuietly(home, replaced);
                        }
                    } else {
                        deleteQuietly(home, target);
                    }
                }
            });
            audit.written(stored, current.isEmpty());
            publisher.publishEvent(new ObjectWritten(stored, current.isEmpty()));
            return new Put(stored, current.isEmpty());
        });
    }

    /** The object's metadata. */
    public StoredObject head(String tenantId, String bucketName, String key) {
        Bucket bucket = buckets.find(tenantId, bucketName).orElseThrow(BucketNotFound::new);
        return objects.find(bucket.bucketId(), key).orElseThrow(ObjectNotFound::new);
    }

    /** The tenant's object of that id. */
    public StoredObject object(String tenantId, UUID objectId) {
        return objects.find(tenantId, objectId).orElseThrow(ObjectNotFound::new);
    }

    /**
     * The plaintext of the object's current content, as a stream the caller closes. The data key is opened (from
     * memory or by kms-service) before anything is read.
     *
     * @throws io.qnsp.common.kms.DependencyDown when kms-service is needed to open the data key and cannot answer
     */
    public InputStream content(StoredObject object) {
        byte[] dataKey = envelopes.openDataKey(object.tenantId(), object.wrappedKey());
        try {
            InputStream file = new BufferedInputStream(Files.newInputStream(encryptedFile(object)), IO_BUFFER);
            try {
                return ContentCipher.decrypt(file, dataKey,
                        ContentCipher.associatedData(object.tenantId(), object.versionId().toString()));
            } catch (IOException e) {
                file.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the content of object " + object.objectId() + " cannot be read", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Where the object's current content is kept, encrypted, on this region's volume. */
    public Path encryptedFile(StoredObject object) {
        return volumes.home().contentFile(object.objectId(), object.versionId(), true);
    }

    public void delete(String tenantId, String bucketName, String key) {
        transactions.executeWithoutResult(status -> {
            Bucket bucket = buckets.share(tenantId, bucketName).orElseThrow(BucketNotFound::new);
            StoredObject object = objects.lock(bucket.bucketId(), key).orElseThrow(ObjectNotFound::new);
            remove(object, "owner");
        });
    }

    /**
     * Deletes the object in the current transaction (the caller holds its row lock), if every guard allows it; its
     * content leaves the volume once the transaction commits.
     */
    public void remove(StoredObject object, String by) {
        checkChange(object, ObjectChangeGuard.Change.DELETE);
        objects.delete(object.objectId());
        publisher.publishEvent(new ObjectRemoved(object, by));
        Volume home = volumes.home();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                try {
                    home.deleteObject(object.objectId());
                } catch (RuntimeException e) {
                    log.warn("content of deleted object {} stays on the volume: {}", object.objectId(),
                            e.getMessage());
                }
            }
        });
    }

    public Listing list(String tenantId, String bucketName, @Nullable String prefix, @Nullable String token,
                        int limit) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (limit < 1 || limit > 1000) {
            problems.add("limit", "must be between 1 and 1000");
        }
        String after = null;
        if (token != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                problems.add("continuationToken", "is not a token this service gave out");
            }
        }
        problems.throwIfAny();
        Bucket bucket = buckets.find(tenantId, bucketName).orElseThrow(BucketNotFound::new);
        List<StoredObject> page = objects.page(bucket.bucketId(), prefix == null ? "" : prefix, after, limit + 1);
        if (page.size() <= limit) {
            return new Listing(page, null);
        }
        List<StoredObject> shown = page.subList(0, limit);
        return new Listing(List.copyOf(shown), Base64.getUrlEncoder().withoutPadding()
                .encodeToString(shown.getLast().key().getBytes(StandardCharsets.UTF_8)));
    }

    private void checkChange(StoredObject object, ObjectChangeGuard.Change change) {
        if (change == ObjectChangeGuard.Change.OVERWRITE && object.archived()) {
            throw new ObjectArchived();
        }
        for (ObjectChangeGuard guard : guards) {
            guard.check(object, change);
        }
    }

    static void validateBucketName(String name) {
        if (name == null || !BUCKET_NAME.matcher(name).matches() || name.contains("..")
                || IP_ADDRESS.matcher(name).matches()) {
            throw new InvalidField("bucket", "must be 3 to 63 lower-case letters, digits, dots and hyphens, "
                    + "starting and ending with a letter or digit, and not an IP address");
        }
    }

    static void validateKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidField("key", "must not be empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new InvalidField("key", "must be at most " + MAX_KEY_BYTES + " bytes of UTF-8");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidField("key", "must not contain control characters");
            }
        }
    }

    private static String contentType(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        try {
            MediaType type = MediaType.parseMediaType(header);
            String text = type.toString();
            if (text.length() > 255) {
                throw new InvalidField("Content-Type", "must be at most 255 characters");
            }
            return text;
        } catch (InvalidMediaTypeException e) {
            throw new InvalidField("Content-Type", "is not a media type");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("a temp file stays on the volume: {}", file);
        }
    }

    private static void deleteQuietly(Volume volume, Path file) {
        try {
            volume.delete(file);
        } catch (RuntimeException e) {
            log.warn("a replaced content file stays on the volume: {}", file);
        }
    }
}
