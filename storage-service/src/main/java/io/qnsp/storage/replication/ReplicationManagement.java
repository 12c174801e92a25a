package io.qnsp.storage.replication;

import io.qnsp.common.error.InvalidField;
import io.qnsp.storage.content.Volume;
import io.qnsp.storage.content.Volumes;
import io.qnsp.storage.object.ObjectRemoved;
import io.qnsp.storage.object.ObjectWriteCommitted;
import io.qnsp.storage.object.ObjectWritten;
import io.qnsp.storage.object.StoredObject;
import io.qnsp.storage.object.StoredObjects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Replication configurations, and the copies they queue: a configuration copies the objects already in its scope
 * when it is made, and each object written or deleted afterwards; {@code sync} ones copy before the upload is
 * answered. Status, lag and health are measured from the copy tasks and the destination volumes.
 */
@Service
public class ReplicationManagement {

    /** A configuration's health now, from its pending copies. */
    public record ConfigStatus(ReplicationConfig config, String status, double lagSeconds, long pendingObjects,
                               long failingObjects, List<Failure> failures) {
    }

    /** A copy that failed and waits for its next attempt. */
    public record Failure(UUID objectId, String region, int attempts, @Nullable String lastError,
                          Instant nextAttemptAt) {
    }

    /** A region's health for the tenant. */
    public record RegionHealth(String region, String status, @Nullable Double latencyMs, @Nullable Instant lastSyncAt,
                               long pendingObjects, @Nullable String problem) {
    }

    /** Where an object is replicated: regions holding a copy, and copies still to be made. */
    public record ObjectReplication(List<Replica> replicas, List<Failure> pending) {
    }

    private final Replications replications;
    private final StoredObjects objects;
    private final Volumes volumes;
    private final ReplicationWorker worker;
    private final ReplicationSettings settings;
    private final Clock clock;

    ReplicationManagement(Replications replications, StoredObjects objects, Volumes volumes,
                          ReplicationWorker worker, ReplicationSettings settings, Clock clock) {
        this.replications = replications;
        this.objects = objects;
        this.volumes = volumes;
        this.worker = worker;
        this.settings = settings;
        this.clock = clock;
    }

    @Transactional
    public ReplicationConfig create(String tenantId, @Nullable String name, @Nullable String sourceRegion,
                                    @Nullable List<String> destinationRegions, @Nullable List<String> buckets,
                                    @Nullable List<String> prefixes, @Nullable String mode,
                                    @Nullable Boolean encryptionAtRest, String actor) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.add("name", "is required, at most 200 characters");
        }
        String home = volumes.home().region();
        if (sourceRegion == null || !sourceRegion.equals(home)) {
            problems.add("sourceRegion", "must be " + home + ", the region this service stores objects in");
        }
        Set<String> destinations = new LinkedHashSet<>();
        if (destinationRegions == null || destinationRegions.isEmpty()) {
            problems.add("destinationRegions", "must name at least one of " + volumes.replicaRegions());
        } else {
            for (int i = 0; i < destinationRegions.size(); i++) {
                String region = destinationRegions.get(i);
                if (region == null || volumes.replica(region).isEmpty()) {
                    problems.add("destinationRegions[" + i + "]", "must be one of the configured regions "
                            + volumes.replicaRegions());
                } else {
                    destinations.add(region);
                }
            }
        }
        List<String> bucketNames = nonEmpty(buckets, "scope.buckets", problems);
        List<String> keyPrefixes = nonEmpty(prefixes, "scope.prefixes", problems);
        String replicationMode = mode == null ? "async" : mode;
        if (!ReplicationConfig.MODES.contains(replicationMode)) {
            problems.add("replicationMode", "must be one of " + ReplicationConfig.MODES);
        }
        problems.throwIfAny();
        Instant now = clock.instant();
        ReplicationConfig config = new ReplicationConfig(UUID.randomUUID(), tenantId, name.strip(), sourceRegion,
                List.copyOf(destinations), bucketNames, keyPrefixes, replicationMode,
                encryptionAtRest == null || encryptionAtRest, "active", actor, now);
        if (!replications.insert(config)) {
            throw new ReplicationConfigNameTaken();
        }
        for (StoredObject object : objects.inScope(tenantId, bucketNames, keyPrefixes)) {
            for (String region : config.destinationRegions()) {
                replications.enqueue(config.configId(), tenantId, object.objectId(), object.versionId(), region,
                        CopyTask.COPY, config.encryptionAtRest(), now);
            }
        }
        return config;
    }

    public List<ReplicationConfig> configs(String tenantId) {
        return replications.configs(tenantId);
    }

    public List<ConfigStatus> status(String tenantId) {
        Instant now = clock.instant();
        Map<String, String> problems = regionProblems(tenantId);
        List<ConfigStatus> statuses = new ArrayList<>();
        for (ReplicationConfig config : replications.configs(tenantId)) {
            Replications.Backlog backlog = replications.backlog(config.configId());
            double lag = backlog.oldestPending() == null ? 0
                    : Math.max(0, Duration.between(backlog.oldestPending(), now).toMillis() / 1000.0);
            boolean regionDown = config.destinationRegions().stream().anyMatch(problems::containsKey);
            String status;
            if (regionDown || backlog.maxAttempts() >= settings.errorAttempts()) {
                status = "error";
            } else if (backlog.failingObjects() > 0 || lag > settings.lagThreshold().toSeconds()) {
                status = "degraded";
            } else {
                status = "healthy";
            }
            statuses.add(new ConfigStatus(config, status, lag, backlog.pendingObjects(), backlog.failingObjects(),
                    replications.failing(config.configId(), 10).stream().map(ReplicationManagement::failure)
                            .toList()));
        }
        return statuses;
    }

    /** The health of every region the tenant's configurations copy to. */
    public List<RegionHealth> health(String tenantId) {
        Instant since = clock.instant().minus(Duration.ofHours(1));
        Map<String, String> problems = regionProblems(tenantId);
        List<RegionHealth> regions = new ArrayList<>();
        for (String region : destinations(tenantId)) {
            Replications.RegionFigures figures = replications.region(tenantId, region, since);
            String problem = problems.get(region);
            String status = problem != null ? "unavailable" : figures.failingObjects() > 0 ? "degraded" : "healthy";
            regions.add(new RegionHealth(region, status, figures.meanCopyMillis(), figures.lastSyncAt(),
                    figures.pendingObjects(), problem));
        }
        return regions;
    }

    public ObjectReplication of(UUID objectId) {
        return new ObjectReplication(replications.replicas(objectId),
                replications.pendingFor(objectId).stream().map(ReplicationManagement::failure).toList());
    }

    /** A new content version is queued for every active configuration covering it, in the writing transaction. */
    @EventListener
    void written(ObjectWritten written) {
        queue(written.object(), CopyTask.COPY);
    }

    /** Once the write has committed, the copies of sync configurations are made before the upload is answered. */
    @EventListener
    void committed(ObjectWriteCommitted committed) {
        StoredObject object = committed.object();
        replications.pendingSync(object.objectId(), object.versionId()).forEach(worker::runNow);
    }

    /** A deleted object leaves every region it was copied to. */
    @EventListener
    void removed(ObjectRemoved removed) {
        queue(removed.object(), CopyTask.DELETE);
    }

    private void queue(StoredObject object, String kind) {
        Instant now = clock.instant();
        for (ReplicationConfig config : replications.active(object.tenantId())) {
            if (!config.covers(object.bucket(), object.key())) {
                continue;
            }
            for (String region : config.destinationRegions()) {
                replications.enqueue(config.configId(), object.tenantId(), object.objectId(),
                        kind.equals(CopyTask.COPY) ? object.versionId() : null, region, kind,
                        config.encryptionAtRest(), now);
            }
        }
    }

    private Set<String> destinations(String tenantId) {
        Set<String> regions = new LinkedHashSet<>();
        replications.configs(tenantId).forEach(c -> regions.addAll(c.destinationRegions()));
        return regions;
    }

    /** Why each destination region of the tenant cannot take copies now (absent when it can). */
    private Map<String, String> regionProblems(String tenantId) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (String region : destinations(tenantId)) {
            Optional<Volume> volume = volumes.replica(region);
            String problem = volume.isEmpty() ? "the region is not configured on this instance" : volume.get().probe();
            if (problem != null) {
                problems.put(region, problem);
            }
        }
        return problems;
    }

    private static Failure failure(CopyTask task) {
        return new Failure(task.objectId(), task.region(), task.attempts(), task.lastError(), task.nextAttemptAt());
    }

    private static List<String> nonEmpty(@Nullable List<String> values, String field, InvalidField.Problems problems) {
        if (values == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || values.get(i).isEmpty()) {
                problems.add(field + "[" + i + "]", "must not be empty");
            } else {
                result.add(values.get(i));
            }
        }
        return List.copyOf(result);
    }
}
