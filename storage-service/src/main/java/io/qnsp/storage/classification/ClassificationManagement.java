package io.qnsp.storage.classification;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import io.qnsp.storage.object.ObjectStore;
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
import java.util.Set;
import java.util.UUID;

/**
 * Classification policies and scans: policies are validated when made (a custom pattern must compile on RE2/J and
 * not match empty text), scans are queued with the objects they cover and an estimate of when they finish (from the
 * bytes queued ahead and the throughput scans have shown), and objects written under auto-applied policies are
 * queued for a scan of their own.
 */
@Service
public class ClassificationManagement {

    static final int MAX_RULES = 50;
    static final int MAX_PATTERN_LENGTH = 1000;

    /** A rule as it was asked for, each field possibly missing. */
    public record RuleInput(@Nullable String detector, @Nullable String pattern, @Nullable String classification,
                            @Nullable List<String> dataTypes) {
    }

    private final ClassificationPolicies policies;
    private final Scans scans;
    private final ObjectLabels labels;
    private final StoredObjects objects;
    private final ObjectStore store;
    private final ClassificationSettings settings;
    private final Clock clock;

    ClassificationManagement(ClassificationPolicies policies, Scans scans, ObjectLabels labels,
                             StoredObjects objects, ObjectStore store, ClassificationSettings settings, Clock clock) {
        this.policies = policies;
        this.scans = scans;
        this.labels = labels;
        this.objects = objects;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    public ClassificationPolicy createPolicy(String tenantId, @Nullable String name, @Nullable String description,
                                             @Nullable List<RuleInput> rules, @Nullable Boolean autoApply,
                                             String actor) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.add("name", "is required, at most 200 characters");
        }
        if (description != null && description.length() > 2000) {
            problems.add("description", "must be at most 2000 characters");
        }
        List<Rule> parsed = new ArrayList<>();
        if (rules == null || rules.isEmpty() || rules.size() > MAX_RULES) {
            problems.add("rules", "must hold 1 to " + MAX_RULES + " rules");
        } else {
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rule(rules.get(i), "rules[" + i + "]", problems);
                if (rule != null) {
                    parsed.add(rule);
                }
            }
        }
        problems.throwIfAny();
        ClassificationPolicy policy = new ClassificationPolicy(UUID.randomUUID(), tenantId, name.strip(),
                description, parsed, autoApply != null && autoApply, actor, clock.instant());
        if (!policies.insert(policy)) {
            throw new PolicyNameTaken();
        }
        return policy;
    }

    private static @Nullable Rule rule(@Nullable RuleInput input, String field, InvalidField.Problems all) {
        if (input == null) {
            all.add(field, "must be an object");
            return null;
        }
        InvalidField.Problems problems = new InvalidField.Problems();
        Detector detector = null;
        if (input.detector() != null) {
            detector = Detector.of(input.detector()).orElse(null);
            if (detector == null) {
                problems.add(field + ".detector", "must be one of " + Detector.names());
            }
        }
        String pattern = input.pattern();
        if ((input.detector() == null) == (pattern == null)) {
            problems.add(field + ".pattern", "give either a pattern (a regular expression) or a detector "
                    + Detector.names());
        } else if (pattern != null) {
            if (pattern.isEmpty() || pattern.length() > MAX_PATTERN_LENGTH) {
                problems.add(field + ".pattern", "must be 1 to " + MAX_PATTERN_LENGTH + " characters");
            } else {
                try {
                    if (Pattern.compile(pattern).matcher("").find()) {
                        problems.add(field + ".pattern", "must not match empty text");
                    }
                } catch (PatternSyntaxException e) {
                    problems.add(field + ".pattern", "is not a regular expression RE2 accepts (no backreferences "
                            + "or lookaround): " + e.getDescription());
                }
            }
        }
        Classification classification = null;
        if (input.classification() == null) {
            problems.add(field + ".classification", "is required, one of " + Classification.names());
        } else {
            classification = Classification.of(input.classification()).orElse(null);
            if (classification == null) {
                problems.add(field + ".classification", "must be one of " + Classification.names());
            }
        }
        List<DataType> types = new ArrayList<>();
        if (input.dataTypes() != null) {
            for (int j = 0; j < input.dataTypes().size(); j++) {
                String type = input.dataTypes().get(j);
                DataType parsed = type == null ? null : DataType.of(type).orElse(null);
                if (parsed == null) {
                    problems.add(field + ".dataTypes[" + j + "]", "must be one of " + DataType.names());
                } else if (!types.contains(parsed)) {
                    types.add(parsed);
                }
            }
        }
        if (!problems.isEmpty()) {
            try {
                problems.throwIfAny();
            } catch (InvalidField invalid) {
                all.addAll(invalid);
            }
            return null;
        }
        if (input.dataTypes() == null) {
            types = detector != null ? detector.dataTypes() : List.of(DataType.CUSTOM);
        }
        return new Rule(detector, pattern, classification, List.copyOf(types));
    }

    public List<ClassificationPolicy> policies(String tenantId) {
        return policies.all(tenantId);
    }

    /** Queues a scan of the tenant's objects in scope with the policies named (all the tenant's when none). */
    @Transactional
    public Scan startScan(String tenantId, @Nullable List<String> buckets, @Nullable List<String> prefixes,
                          @Nullable List<String> policyIds, String actor) {
        InvalidField.Problems problems = new InvalidField.Problems();
        List<String> bucketNames = strings(buckets, "scope.buckets", problems);
        List<String> keyPrefixes = strings(prefixes, "scope.prefixes", problems);
        for (int i = 0; i < bucketNames.size(); i++) {
            if (store.findBucket(tenantId, bucketNames.get(i)).isEmpty()) {
                problems.add("scope.buckets[" + i + "]", "is not a bucket of the tenant");
            }
        }
        Set<UUID> ids = new LinkedHashSet<>();
        if (policyIds != null) {
            for (int i = 0; i < policyIds.size(); i++) {
                UUID id = problems.uuid(policyIds.get(i), "policyIds[" + i + "]");
                if (policyIds.get(i) == null) {
                    problems.add("policyIds[" + i + "]", "must be a policy id");
                } else if (id != null) {
                    ids.add(id);
                }
            }
        }
        problems.throwIfAny();
        List<ClassificationPolicy> chosen = ids.isEmpty() ? policies.all(tenantId) : policies.find(tenantId, ids);
        if (!ids.isEmpty() && chosen.size() < ids.size()) {
            Set<UUID> found = new LinkedHashSet<>(chosen.stream().map(ClassificationPolicy::policyId).toList());
            List<UUID> asked = new ArrayList<>(ids);
            for (int i = 0; i < asked.size(); i++) {
                if (!found.contains(asked.get(i))) {
                    problems.add("policyIds[" + policyIds.indexOf(asked.get(i).toString()) + "]",
                            "is not a classification policy of the tenant");
                }
            }
            problems.throwIfAny();
        }
        if (chosen.isEmpty()) {
            throw new InvalidField("policyIds", "the tenant has no classification policy to scan with");
        }
        List<StoredObject> inScope = objects.inScope(tenantId, bucketNames, keyPrefixes);
        return queue(tenantId, "manual", bucketNames, keyPrefixes,
                chosen.stream().map(ClassificationPolicy::policyId).toList(), inScope, actor);
    }

    private Scan queue(String tenantId, String trigger, List<String> buckets, List<String> prefixes,
                       List<UUID> policyIds, List<StoredObject> inScope, String actor) {
        long limit = settings.maxScannedBytes().toBytes();
        long bytes = inScope.stream().mapToLong(o -> Math.min(o.size(), limit)).sum();
        Instant now = clock.instant();
        Scan scan = new Scan(UUID.randomUUID(), tenantId, trigger, buckets, prefixes, policyIds, Scan.QUEUED,
                inScope.size(), bytes, 0, 0, 0, 0, 0, actor, now, estimate(now, scans.bytesAhead(limit) + bytes),
                null, null);
        scans.insert(scan);
        scans.insertItems(scan.scanId(), inScope.stream().map(o -> new Scans.Item(o.objectId(), o.size())).toList());
        return scan;
    }

    /** When a scan finishes whose bytes come after those given: at the throughput scans have shown lately. */
    private Instant estimate(Instant now, long bytes) {
        Double measured = scans.measuredThroughput(now.minus(Duration.ofDays(1)), 1024 * 1024);
        double perSecond = (measured != null && measured > 0 ? measured : settings.assumedThroughput().toBytes())
                * settings.threads();
        return now.plusMillis((long) Math.ceil(bytes * 1000.0 / perSecond));
    }

    public Scan scan(String tenantId, String scanId) {
        return scans.find(tenantId, PathIds.parse(scanId, ScanNotFound::new)).orElseThrow(ScanNotFound::new);
    }

    public ObjectLabels.Stats stats(String tenantId) {
        return labels.stats(tenantId);
    }

    /** A new content version drops the labels of the old one, and is queued for the auto-applied policies. */
    @EventListener
    void written(ObjectWritten written) {
        StoredObject object = written.object();
        labels.dropStale(object.objectId(), object.versionId());
        List<ClassificationPolicy> auto = policies.autoApplied(object.tenantId());
        if (!auto.isEmpty()) {
            queue(object.tenantId(), "auto", List.of(object.bucket()), List.of(object.key()),
                    auto.stream().map(ClassificationPolicy::policyId).toList(), List.of(object), object.writtenBy());
        }
    }

    private static List<String> strings(@Nullable List<String> values, String field, InvalidField.Problems problems) {
        if (values == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.isEmpty()) {
                problems.add(field + "[" + i + "]", "must not be empty");
            } else {
                result.add(value);
            }
        }
        return result;
    }

    /** The labels of an object's current content, by policy. */
    public Map<UUID, ObjectLabel> labels(UUID objectId) {
        Map<UUID, ObjectLabel> byPolicy = new LinkedHashMap<>();
        labels.of(objectId).forEach(l -> byPolicy.put(l.policyId(), l));
        return byPolicy;
    }
}
