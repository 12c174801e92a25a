package io.qnsp.vault.leak;

import io.qnsp.vault.secret.SecretNotFound;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.web.PathIds;
import io.qnsp.vault.leak.detect.Severity;
import io.qnsp.vault.secret.StoredSecrets;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Leak incidents: reported by hand or opened by scans, their status and timeline, and what is known per secret. */
@Service
public class IncidentManagement {

    /** Who acts when a scan opens an incident or takes an action on it. */
    static final String SCANNER = "leak-detection";
    static final int MAX_SECRET_ID = 256;
    static final int MAX_LOCATION = 2048;
    static final int MAX_DETAILS = 16_384;
    static final int MAX_TEXT = 4096;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Incidents incidents;
    private final StoredSecrets secrets;
    private final EventOutbox events;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    IncidentManagement(Incidents incidents, StoredSecrets secrets, EventOutbox events, JsonMapper json) {
        this.incidents = incidents;
        this.secrets = secrets;
        this.events = events;
        this.json = json;
    }

    /** An incident with its timeline, oldest entry first. */
    public record IncidentWithTimeline(Incident incident, List<TimelineEntry> timeline) {
    }

    /** A report as a request gives it, each field possibly missing. */
    public record ReportInput(@Nullable String secretId, @Nullable String source, @Nullable String location,
                              @Nullable String detectedAt, @Nullable String severity,
                              @Nullable Object details) {
    }

    /**
     * Opens an incident reported by hand; it takes no action on the secret (rotating or retiring it is the
     * reporter's call, through the versioned secrets API).
     *
     * @throws InvalidField    naming each offending field
     * @throws SecretNotFound when a secretId is given that the tenant has no secret of
     */
    @Transactional
    public Incident report(String tenantId, String actor, ReportInput input) {
        InvalidField.Problems problems = new InvalidField.Problems();
        String secretId = null;
        if (input.secretId() != null) {
            secretId = input.secretId().strip();
            if (secretId.isEmpty() || secretId.length() > MAX_SECRET_ID
                    || secretId.chars().anyMatch(Character::isISOControl)) {
                problems.add("secretId", "must be 1 to " + MAX_SECRET_ID + " characters without control characters");
            }
        }
        String source = input.source() == null ? null : input.source().strip();
        if (source == null || !SOURCE.matcher(source).matches()) {
            problems.add("source", "is required: 1 to 64 letters, digits, '_', '.' or '-' (e.g. github, slack)");
        }
        String location = input.location() == null ? null : input.location().strip();
        if (location == null || location.isEmpty() || location.length() > MAX_LOCATION
                || location.chars().anyMatch(Character::isISOControl)) {
            problems.add("location", "is required: 1 to " + MAX_LOCATION + " characters without control characters");
        }
        Instant now = clock.instant();
        Instant detectedAt = now;
        if (input.detectedAt() != null) {
            detectedAt = instant(input.detectedAt(), "detectedAt", problems);
            if (detectedAt != null && detectedAt.isAfter(now.plus(CLOCK_SKEW))) {
                problems.add("detectedAt", "must not be in the future");
            }
        }
        Severity severity = input.severity() == null ? null : Severity.fromApiName(input.severity());
        if (severity == null) {
            problems.add("severity", "is required: one of " + Severity.apiNames());
        }
        Map<String, Object> details = Map.of();
        if (input.details() instanceof Map<?, ?> given) {
            details = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : given.entrySet()) {
                details.put(String.valueOf(entry.getKey()), entry.getValue());
            }
            if (json.writeValueAsString(details).length() > MAX_DETAILS) {
                problems.add("details", "must be at most " + MAX_DETAILS + " characters of JSON");
            }
        } else if (input.details() != null) {
            problems.add("details", "must be an object");
        }
        problems.throwIfAny();
        if (secretId != null && !secrets.exists(tenantId, secretId)) {
            throw new SecretNotFound();
        }
        Incident incident = new Incident(UUID.randomUUID(), tenantId, secretId, null,
                source.toLowerCase(Locale.ROOT), location,
                severity, IncidentStatus.OPEN, details, null, detectedAt, now, now, null);
        incidents.insert(incident);
        incidents.addEvent(incident.incidentId(), TimelineEntry.created(now, actor, "reported", null));
        return incident;
    }

    /**
     * The tenant's incidents, most recently detected first.
     *
     * @throws InvalidField naming status, severity, since or limit
     */
    @Transactional(readOnly = true)
    public List<Incident> list(String tenantId, @Nullable String status, @Nullable String severity,
                               @Nullable String since, @Nullable Integer limit) {
        InvalidField.Problems problems = new InvalidField.Problems();
        IncidentStatus checkedStatus = null;
        if (status != null) {
            checkedStatus = IncidentStatus.fromApiName(status);
            if (checkedStatus == null) {
                problems.add("status", "must be one of " + IncidentStatus.apiNames());
            }
        }
        Severity checkedSeverity = null;
        if (severity != null) {
            checkedSeverity = Severity.fromApiName(severity);
            if (checkedSeverity == null) {
                problems.add("severity", "must be one of " + Severity.apiNames());
            }
        }
        Instant from = since == null ? null : instant(since, "since", problems);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            problems.add("limit", "must be between 1 and " + MAX_LIMIT);
        }
        problems.throwIfAny();
        return incidents.list(tenantId, checkedStatus, checkedSeverity, from, null, false, size);
    }

    /** @throws IncidentNotFound unless the tenant has the incident */
    @Transactional(readOnly = true)
    public IncidentWithTimeline get(String tenantId, String incidentId) {
        Incident incident = incidents.find(tenantId, PathIds.parse(incidentId, IncidentNotFound::new))
                .orElseThrow(IncidentNotFound::new);
        return new IncidentWithTimeline(incident, incidents.timeline(incident.incidentId()));
    }

    /**
     * Moves the incident to a new status, with the caller and their notes in the timeline; a resolution is kept on
     * the incident.
     *
     * @throws InvalidField               naming status, resolution or notes
     * @throws IncidentNotFound           unless the tenant has the incident
     * @throws IncidentTransitionRefused when the incident cannot move to that status from its own
     */
    @Transactional
    public Incident update(String tenantId, String incidentId, String actor, @Nullable String status,
                           @Nullable String resolution, @Nullable String notes) {
        UUID id = PathIds.parse(incidentId, IncidentNotFound::new);
        InvalidField.Problems problems = new InvalidField.Problems();
        IncidentStatus to = status == null ? null : IncidentStatus.fromApiName(status);
        if (to == null || to == IncidentStatus.OPEN) {
            problems.add("status", "is required: one of investigating, resolved, false_positive");
        }
        String checkedResolution = text(resolution, "resolution", problems);
        String checkedNotes = text(notes, "notes", problems);
        problems.throwIfAny();
        Incident incident = incidents.findForUpdate(tenantId, id).orElseThrow(IncidentNotFound::new);
        if (!incident.status().next().contains(to)) {
            throw new IncidentTransitionRefused(incident.status(), to);
        }
        Instant now = clock.instant();
        incidents.updateStatus(id, to, checkedResolution, now);
        incidents.addEvent(id, TimelineEntry.statusChanged(now, actor, incident.status(), to,
                checkedNotes == null ? checkedResolution : checkedNotes));
        return incidents.find(tenantId, id).orElseThrow(IncidentNotFound::new);
    }

    /**
     * The open and investigating incidents of one of the tenant's secrets.
     *
     * @throws SecretNotFound unless the tenant has the secret
     */
    @Transactional(readOnly = true)
    public List<Incident> activeForSecret(String tenantId, String secretId) {
        if (secretId.isBlank() || secretId.length() > MAX_SECRET_ID || !secrets.exists(tenantId, secretId)) {
            throw new SecretNotFound();
        }
        return incidents.list(tenantId, null, null, null, secretId, true, MAX_LIMIT);
    }

    /** Counts of the tenant's incidents by status, severity and source. */
    @Transactional(readOnly = true)
    public IncidentCounts counts(String tenantId) {
        return incidents.counts(tenantId);
    }

    /** What a scan found at one place: one distinct value, masked, with where it is and what it matched. */
    record Detection(UUID scanId, ScanTarget target, String repository, String path, String commitId,
                     @Nullable String branch, int line, byte[] valueFingerprint, String maskedValue,
                     Severity severity, Map<String, Object> rule, List<UUID> policyIds,
                     List<StoredSecrets.VersionMatch> matches, List<String> notificationChannels) {

        String location() {
            return repository + ":" + path + ":" + line + "@" + commitId;
        }

        String locationKey() {
            return target.apiName() + "\n" + repository + "\n" + path;
        }

        @Override
        public String toString() {
            return "Detection[" + maskedValue + " at " + location() + "]";
        }
    }

    /** An incident a scan opened or found again. */
    record Recorded(Incident incident, boolean created) {
    }

    /**
     * Opens an incident for the detection, unless the tenant has one for the same value at the same place already
     * (a scan of the same repository again): that one gets a {@code seen_again} entry instead, once per scan.
     */
    @Transactional
    Recorded recordDetection(String tenantId, Detection detection) {
        Instant now = clock.instant();
        StoredSecrets.VersionMatch primary = detection.matches().isEmpty() ? null : detection.matches().getFirst();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scanId", detection.scanId().toString());
        details.put("target", detection.target().apiName());
        details.put("repository", detection.repository());
        details.put("path", detection.path());
        details.put("commitId", detection.commitId());
        if (detection.branch() != null) {
            details.put("branch", detection.branch());
        }
        details.put("line", detection.line());
        details.put("maskedValue", detection.maskedValue());
        details.put("rule", detection.rule());
        details.put("policyIds", detection.policyIds().stream().map(UUID::toString).toList());
        details.put("storedSecrets", detection.matches().stream().map(m -> Map.of("secretId", m.secretId(),
                "version", m.version(), "state", m.state(), "current", m.current())).toList());
        Incident incident = new Incident(UUID.randomUUID(), tenantId, primary == null ? null : primary.secretId(),
                primary == null ? null : primary.version(), detection.target().apiName(), detection.location(),
                detection.severity(), IncidentStatus.OPEN, details, null, now, now, now, detection.scanId());
        Incidents.Sighting sighting = new Incidents.Sighting(detection.valueFingerprint(), detection.locationKey());
        if (incidents.insertUnlessSeen(incident, sighting)) {
            incidents.addEvent(incident.incidentId(), TimelineEntry.created(now, SCANNER, "found by scan "
                    + detection.scanId() + " in " + detection.location(), detection.scanId()));
            events.append(new AuditEvent(UUID.randomUUID(), now, tenantId, SCANNER, "vault.leak_incident.detected",
                    "leak_incident", incident.incidentId().toString(), "success", null, "vault-service",
                    Map.of("scanId", detection.scanId().toString(), "severity", detection.severity().apiName())));
            events.append(new LeakIncidentDetected(UUID.randomUUID(), now, tenantId, incident.incidentId(),
                    incident.secretId(), detection.severity().apiName(), incident.source(), incident.location(),
                    detection.maskedValue(), detection.scanId(), detection.policyIds(),
                    detection.notificationChannels()));
            return new Recorded(incident, true);
        }
        UUID existing = incidents.findSighting(tenantId, sighting).orElseThrow();
        if (!incidents.seenBy(existing, detection.scanId())) {
            incidents.addEvent(existing, TimelineEntry.seenAgain(now, SCANNER, "found again by scan "
                    + detection.scanId() + " in " + detection.location(), detection.scanId()));
            incidents.touch(existing, now);
        }
        return new Recorded(incidents.find(tenantId, existing).orElseThrow(), false);
    }

    /** Records an action a scan took on the incident, and its result. */
    @Transactional
    void recordAction(UUID incidentId, UUID scanId, String action, String result) {
        Instant now = clock.instant();
        incidents.addEvent(incidentId, TimelineEntry.action(now, SCANNER, action, result, scanId));
        incidents.touch(incidentId, now);
    }

    private static @Nullable Instant instant(String text, String field, InvalidField.Problems problems) {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(field, "must be an ISO 8601 date-time with an offset, e.g. 2025-01-31T12:00:00Z");
            return null;
        }
    }

    private static @Nullable String text(@Nullable String text, String field, InvalidField.Problems problems) {
        if (text == null) {
            return null;
        }
        String stripped = text.strip();
        if (stripped.length() > MAX_TEXT) {
            problems.add(field, "must be at most " + MAX_TEXT + " characters");
        }
        return stripped.isEmpty() ? null : stripped;
    }
}
