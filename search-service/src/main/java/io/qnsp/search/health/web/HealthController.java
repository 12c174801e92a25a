package io.qnsp.search.health.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.search.SearchScopes;
import io.qnsp.search.health.IndexHealth;
import io.qnsp.search.health.MaintenanceSettings;
import io.qnsp.search.health.MaintenanceWindow;
import io.qnsp.search.health.MaintenanceWindowNotFound;
import io.qnsp.search.health.MaintenanceWindows;
import io.qnsp.search.index.Indices;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** The health of the indices as PostgreSQL reports it, and maintenance windows that run on them. */
@Tag(name = "Index health")
@RestController
@RequestMapping("/search/v1/health")
class HealthController {

    /** A window may start this long before it was asked for: the request's own travel time. */
    static final Duration PAST_TOLERANCE = Duration.ofMinutes(5);
    static final Duration MAX_AHEAD = Duration.ofDays(366);

    record Shards(@Schema(description = "the index's physical index structures (GIN, B-tree): PostgreSQL has no "
            + "shards") int total,
                  @Schema(description = "those valid and ready (pg_index)") int successful) {
    }

    record IndexStatus(String indexName, @Schema(allowableValues = {"green", "yellow", "red"}) String status,
                       @Schema(description = "the tenant's documents in the index") long documentCount,
                       @Schema(description = "the stored size of the tenant's documents") long sizeBytes,
                       Shards shards,
                       @Schema(description = "the index's size on disk, index structures included, every tenant's "
                               + "documents") long relationSizeBytes,
                       long deadRows, @Nullable Instant lastVacuumAt, @Nullable Instant lastAnalyzeAt,
                       @Schema(description = "what lowers the status, and what would fix it") List<String> issues) {
    }

    record CurrentHealth(@Schema(allowableValues = {"green", "yellow", "red"}) String overallHealth,
                         List<IndexStatus> indices) {
    }

    record ScheduleMaintenanceRequest(@Nullable List<String> indexNames,
                                      @Schema(allowableValues = {"optimize", "reindex", "backup"},
                                              description = "optimize: VACUUM ANALYZE; reindex: REINDEX of the "
                                                      + "index structures; backup: a copy of the tenant's documents")
                                      @Nullable String maintenanceType,
                                      @Schema(description = "ISO 8601 instant, e.g. 2030-01-01T02:00:00Z")
                                      @Nullable String scheduledAt,
                                      @Schema(description = "ISO 8601 duration, e.g. PT1H; work left at its end is "
                                              + "cancelled") @Nullable String duration) {
    }

    record MaintenanceScheduled(UUID windowId, @Schema(allowableValues = "scheduled") String status,
                                Instant scheduledAt, String maintenanceType, List<String> indexNames,
                                String duration) {
    }

    record MaintenanceStatus(UUID windowId,
                             @Schema(allowableValues = {"scheduled", "running", "completed", "failed"}) String status,
                             String maintenanceType, List<String> indexNames, Instant scheduledAt, String duration,
                             @Nullable Instant startedAt, @Nullable Instant finishedAt,
                             @Schema(description = "what was done on each index") @Nullable String outcome) {
    }

    private final IndexHealth health;
    private final MaintenanceWindows windows;
    private final MaintenanceSettings settings;
    private final Clock clock;

    HealthController(IndexHealth health, MaintenanceWindows windows, MaintenanceSettings settings, Clock clock) {
        this.health = health;
        this.windows = windows;
        this.settings = settings;
        this.clock = clock;
    }

    @Operation(summary = "Get current index health status", operationId = "getCurrentIndexHealth",
            description = "Each index (audit-events, request-logs, api-keys, secrets) as PostgreSQL reports it: "
                    + "red when one of its index structures is not valid, yellow when dead rows exceed the "
                    + "configured share, else green. Counts and sizes are the tenant's own documents. Needs "
                    + "search:read.")
    @GetMapping("/current")
    @RequiredControls(scopes = SearchScopes.READ, audit = "search.index_health.read", resourceType = "index")
    CurrentHealth current(Caller caller) {
        IndexHealth.Health current = health.current(TenantRequired.tenantOf(caller));
        return new CurrentHealth(current.overallHealth(), current.indices().stream()
                .map(i -> new IndexStatus(i.indexName(), i.status(), i.documentCount(), i.sizeBytes(),
                        new Shards(i.structures(), i.validStructures()), i.relationSizeBytes(), i.deadRows(),
                        i.lastVacuumAt(), i.lastAnalyzeAt(), i.issues())).toList());
    }

    @Operation(summary = "Schedule a maintenance window", operationId = "scheduleIndexMaintenance",
            description = "Runs when due: optimize (VACUUM ANALYZE of each index), reindex (REINDEX of its index "
                    + "structures) or backup (a copy of the tenant's documents). Needs search:write.")
    @PostMapping("/maintenance")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = SearchScopes.WRITE, audit = "search.maintenance.scheduled",
            resourceType = "maintenance_window", resourceId = "#result.windowId")
    MaintenanceScheduled schedule(Caller caller, @RequestBody ScheduleMaintenanceRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.indexNames() == null || request.indexNames().isEmpty()) {
            problems.add("indexNames", "must name at least one of " + Indices.NAMES);
        } else {
            for (int i = 0; i < request.indexNames().size(); i++) {
                if (request.indexNames().get(i) == null || !Indices.exists(request.indexNames().get(i))) {
                    problems.add("indexNames[" + i + "]", "must be one of " + Indices.NAMES);
                }
            }
        }
        if (request.maintenanceType() == null) {
            problems.add("maintenanceType", "is required");
        } else if (!MaintenanceWindow.TYPES.contains(request.maintenanceType())) {
            problems.add("maintenanceType", "must be one of " + MaintenanceWindow.TYPES);
        }
        Instant scheduledAt = null;
        if (request.scheduledAt() == null) {
            problems.add("scheduledAt", "is required");
        } else {
            try {
                scheduledAt = OffsetDateTime.parse(request.scheduledAt().strip()).toInstant();
                Instant now = clock.instant();
                if (scheduledAt.isBefore(now.minus(PAST_TOLERANCE))) {
                    problems.add("scheduledAt", "must not be in the past");
                } else if (scheduledAt.isAfter(now.plus(MAX_AHEAD))) {
                    problems.add("scheduledAt", "must be within 366 days");
                }
            } catch (DateTimeParseException e) {
                problems.add("scheduledAt", "must be an ISO 8601 date and time with an offset, e.g. "
                        + "2030-01-01T02:00:00Z");
            }
        }
        Duration duration = null;
        if (request.duration() == null) {
            problems.add("duration", "is required");
        } else {
            try {
                duration = Duration.parse(request.duration().strip());
                if (duration.isNegative() || duration.isZero() || duration.compareTo(settings.maxDuration()) > 0) {
                    problems.add("duration", "must be positive and at most " + settings.maxDuration());
                }
            } catch (DateTimeParseException e) {
                problems.add("duration", "must be an ISO 8601 duration, e.g. PT1H");
            }
        }
        problems.throwIfAny();
        MaintenanceWindow window = windows.schedule(tenant, request.indexNames().stream().distinct().toList(),
                request.maintenanceType(), scheduledAt, duration);
        return new MaintenanceScheduled(window.windowId(), window.status(), window.scheduledAt(),
                window.maintenanceType(), window.indexNames(), window.duration().toString());
    }

    @Operation(summary = "Get a maintenance window", operationId = "getIndexMaintenance",
            description = "Its status and, once run, what was done on each index. Needs search:read.")
    @FailureResponse(status = 404, description = "no maintenance window of the caller's tenant with that id")
    @GetMapping("/maintenance/{windowId}")
    @RequiredControls(scopes = SearchScopes.READ, audit = "search.maintenance.read",
            resourceType = "maintenance_window", resourceId = "#windowId")
    MaintenanceStatus window(Caller caller, @PathVariable String windowId) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID id = problems.uuid(windowId, "windowId");
        problems.throwIfAny();
        MaintenanceWindow window = windows.find(tenant, id).orElseThrow(MaintenanceWindowNotFound::new);
        return new MaintenanceStatus(window.windowId(), window.status(), window.maintenanceType(),
                window.indexNames(), window.scheduledAt(), window.duration().toString(), window.startedAt(),
                window.finishedAt(), window.outcome());
    }
}
