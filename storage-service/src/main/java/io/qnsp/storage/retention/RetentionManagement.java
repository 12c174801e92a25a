package io.qnsp.storage.retention;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import io.qnsp.storage.classification.Classification;
import io.qnsp.storage.object.Bucket;
import io.qnsp.storage.object.ObjectStore;
import io.qnsp.storage.object.StoredObject;
import io.qnsp.storage.object.StoredObjects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Retention policies and legal holds; {@link RetentionGuard} makes them bind. */
@Service
public class RetentionManagement {

    // ISO 8601 durations as PostgreSQL reads them: P1Y2M10DT2H30M, P4W, PT36H
    private static final Pattern ISO_DURATION = Pattern.compile(
            "P(?=\\d|T\\d)(\\d{1,6}Y)?(\\d{1,6}M)?(\\d{1,6}W)?(\\d{1,6}D)?(T(?=\\d)(\\d{1,6}H)?(\\d{1,6}M)?(\\d{1,6}S)?)?");

    /** A hold as listed: the hold, and how many objects it covers now. */
    public record HoldCoverage(LegalHold hold, long objectsCovered, boolean active) {
    }

    /** What an object's retention and holds are now. */
    public record Protection(Optional<Retention> retention, List<UUID> holdIds) {
    }

    private final RetentionPolicies policies;
    private final LegalHolds holds;
    private final ObjectStore store;
    private final StoredObjects objects;
    private final Clock clock;

    RetentionManagement(RetentionPolicies policies, LegalHolds holds, ObjectStore store, StoredObjects objects,
                        Clock clock) {
        this.policies = policies;
        this.holds = holds;
        this.store = store;
        this.objects = objects;
        this.clock = clock;
    }

    /** The object's retention (the policy keeping it longest) and the active holds on it. */
    public Protection protection(StoredObject object) {
        return new Protection(policies.governing(object.tenantId(), object.objectId()),
                holds.holding(object.tenantId(), object.objectId(), object.bucketId(), clock.instant()));
    }

    public RetentionPolicy createPolicy(String tenantId, @Nullable String name, @Nullable String retentionPeriod,
                                        @Nullable List<String> buckets, @Nullable List<String> classifications,
                                        @Nullable String onExpiry, String actor) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.add("name", "is required, at most 200 characters");
        }
        if (retentionPeriod == null || !ISO_DURATION.matcher(retentionPeriod).matches()) {
            problems.add("retentionPeriod", "must be an ISO 8601 duration such as P30D, P7Y or PT12H");
        } else if (!policies.positive(retentionPeriod)) {
            problems.add("retentionPeriod", "must be longer than zero");
        }
        List<String> bucketNames = new ArrayList<>();
        if (buckets != null) {
            for (int i = 0; i < buckets.size(); i++) {
                if (buckets.get(i) == null || buckets.get(i).isBlank()) {
                    problems.add("scope.buckets[" + i + "]", "must be a bucket name");
                } else {
                    bucketNames.add(buckets.get(i));
                }
            }
        }
        List<String> classes = new ArrayList<>();
        if (classifications != null) {
            for (int i = 0; i < classifications.size(); i++) {
                String c = classifications.get(i);
                if (c == null || Classification.of(c).isEmpty()) {
                    problems.add("scope.classifications[" + i + "]", "must be one of " + Classification.names());
                } else {
                    classes.add(c);
                }
            }
        }
        if (onExpiry == null || !RetentionPolicy.ACTIONS.contains(onExpiry)) {
            problems.add("actions.onExpiry", "is required, one of " + RetentionPolicy.ACTIONS);
            problems.detail("allowedValues", RetentionPolicy.ACTIONS);
        }
        problems.throwIfAny();
        RetentionPolicy policy = new RetentionPolicy(UUID.randomUUID(), tenantId, name.strip(), retentionPeriod,
                List.copyOf(bucketNames), List.copyOf(classes), onExpiry, actor, clock.instant());
        if (!policies.insert(policy)) {
            throw new RetentionPolicyNameTaken();
        }
        return policy;
    }

    public List<RetentionPolicy> policies(String tenantId) {
        return policies.all(tenantId);
    }

    @Transactional
    public HoldCoverage createHold(String tenantId, @Nullable String name, @Nullable String reason,
                                   @Nullable List<String> objectIds, @Nullable List<String> buckets,
                                   @Nullable String expiresAt, String actor) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.add("name", "is required, at most 200 characters");
        }
        if (reason == null || reason.isBlank() || reason.length() > 2000) {
            problems.add("reason", "is required, at most 2000 characters");
        }
        Set<UUID> ids = new LinkedHashSet<>();
        List<String> idTexts = objectIds == null ? List.of() : objectIds;
        for (int i = 0; i < idTexts.size(); i++) {
            UUID id = problems.uuid(idTexts.get(i), "scope.objectIds[" + i + "]");
            if (idTexts.get(i) == null) {
                problems.add("scope.objectIds[" + i + "]", "must be an object id");
            } else if (id != null) {
                if (objects.existing(tenantId, List.of(id)).isEmpty()) {
                    problems.add("scope.objectIds[" + i + "]", "is not an object of the tenant");
                } else {
                    ids.add(id);
                }
            }
        }
        Set<UUID> bucketIds = new LinkedHashSet<>();
        List<String> names = buckets == null ? List.of() : buckets;
        for (int i = 0; i < names.size(); i++) {
            Optional<Bucket> bucket = names.get(i) == null ? Optional.empty()
                    : store.findBucket(tenantId, names.get(i));
            if (bucket.isEmpty()) {
                problems.add("scope.buckets[" + i + "]", "is not a bucket of the tenant");
            } else {
                bucketIds.add(bucket.get().bucketId());
            }
        }
        if (idTexts.isEmpty() && names.isEmpty()) {
            problems.add("scope", "must name at least one object id or bucket");
        }
        Instant now = clock.instant();
        Instant expires = null;
        if (expiresAt != null) {
            try {
                expires = Instant.parse(expiresAt);
                if (!expires.isAfter(now)) {
                    problems.add("expiresAt", "must be in the future");
                }
            } catch (DateTimeParseException e) {
                problems.add("expiresAt", "must be an ISO 8601 instant such as 2030-01-01T00:00:00Z");
            }
        }
        problems.throwIfAny();
        LegalHold hold = new LegalHold(UUID.randomUUID(), tenantId, name.strip(), reason.strip(), List.copyOf(ids),
                List.copyOf(bucketIds), expires, actor, now, null, null, null);
        holds.insert(hold);
        return new HoldCoverage(hold, holds.objectsCovered(tenantId, hold.objectIds(), hold.bucketIds()), true);
    }

    /** Releases the hold for the reason given; the objects it covered are counted as released. */
    @Transactional
    public HoldCoverage releaseHold(String tenantId, String holdId, @Nullable String reason, String actor) {
        LegalHold hold = holds.lock(tenantId, PathIds.parse(holdId, HoldNotFound::new)).orElseThrow(HoldNotFound::new);
        if (hold.releasedAt() != null) {
            throw new HoldAlreadyReleased(hold.releasedAt());
        }
        if (reason == null || reason.isBlank() || reason.length() > 2000) {
            throw new InvalidField("reason", "is required (why the hold ends), at most 2000 characters");
        }
        Instant now = clock.instant();
        holds.release(hold.holdId(), now, actor, reason.strip());
        long covered = holds.objectsCovered(tenantId, hold.objectIds(), hold.bucketIds());
        LegalHold released = new LegalHold(hold.holdId(), tenantId, hold.name(), hold.reason(), hold.objectIds(),
                hold.bucketIds(), hold.expiresAt(), hold.createdBy(), hold.createdAt(), now, actor, reason.strip());
        return new HoldCoverage(released, covered, false);
    }

    public List<HoldCoverage> holds(String tenantId) {
        Instant now = clock.instant();
        return holds.all(tenantId).stream().map(h -> new HoldCoverage(h,
                holds.objectsCovered(tenantId, h.objectIds(), h.bucketIds()), h.activeAt(now))).toList();
    }

    public HoldCoverage hold(String tenantId, String holdId) {
        LegalHold hold = holds.find(tenantId, PathIds.parse(holdId, HoldNotFound::new)).orElseThrow(HoldNotFound::new);
        return new HoldCoverage(hold, holds.objectsCovered(tenantId, hold.objectIds(), hold.bucketIds()),
                hold.activeAt(clock.instant()));
    }
}
