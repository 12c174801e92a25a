package io.qnsp.auth.federation.web;

import io.qnsp.auth.LookBackPeriod;
import io.qnsp.auth.federation.CrossTenantActivity;
import io.qnsp.auth.federation.EventFilter;
import io.qnsp.auth.federation.EventPage;
import io.qnsp.auth.federation.FederationAuditManagement;
import io.qnsp.auth.federation.NewEvent;
import io.qnsp.auth.federation.Outcome;
import io.qnsp.auth.federation.RecordedEvent;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Tag(name = "Federated audit")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
@RequestMapping("/auth/federation/audit")
class FederationAuditController {

    static final String READ = "federation:read";
    static final String WRITE = "federation:write";

    static final String EVENT_TYPE = "[a-z][a-z0-9_.:-]*";
    static final String EVENT_TYPE_RULE = "must start with a lower-case letter and hold only lower-case letters,"
            + " digits, '_', '.', ':' or '-'";
    static final String NO_CONTROLS = "[^\\p{Cc}]*";
    static final String NO_CONTROLS_RULE = "must not contain control characters";
    static final String TENANT_ID = "[^\\p{Cc}\\s,]*";
    static final String TENANT_ID_RULE = "must not contain whitespace, commas or control characters";

    record RecordEventRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = EVENT_TYPE, message = EVENT_TYPE_RULE) String eventType,
            @NotBlank @Size(max = 128) @Pattern(regexp = NO_CONTROLS, message = NO_CONTROLS_RULE) String provider,
            @NotBlank @Size(max = 256) @Pattern(regexp = NO_CONTROLS, message = NO_CONTROLS_RULE) String userId,
            @NotNull Outcome outcome,
            @Nullable Map<String, Object> metadata,
            @Nullable @Size(max = 128) @Pattern(regexp = TENANT_ID, message = TENANT_ID_RULE) String targetTenantId,
            @Nullable @Size(max = 64) String timestamp) {
    }

    record EventRecorded(UUID eventId, Instant recordedAt, Instant timestamp) {

        static EventRecorded of(RecordedEvent event) {
            return new EventRecorded(event.eventId(), event.recordedAt(), event.timestamp());
        }
    }

    /** Every filter is optional: a query without any returns all of the caller's events, oldest first. */
    record QueryRequest(@Nullable @Size(max = 64) String startTime,
                        @Nullable @Size(max = 64) String endTime,
                        @Nullable @Size(max = 100) List<@NotBlank @Size(max = 64) String> eventTypes,
                        @Nullable @Size(max = 100) List<@NotBlank @Size(max = 128) String> providers,
                        @Nullable @Size(max = 100) List<@NotBlank @Size(max = 256) String> userIds,
                        @Nullable @Min(1) @Max(FederationAuditManagement.MAX_LIMIT) Integer limit,
                        @Nullable @Size(max = 128) String cursor,
                        @Nullable @Pattern(regexp = "asc|desc", message = "must be asc or desc") String order) {
    }

    record CrossTenantResponse(String period, List<CrossTenantActivity> activity) {
    }

    private final FederationAuditManagement management;

    FederationAuditController(FederationAuditManagement management) {
        this.management = management;
    }

    @Operation(summary = "Record an identity-provider event of the caller's tenant",
            description = "targetTenantId (top level) marks a user of the caller's tenant acting in another tenant;"
                    + " timestamp (optional) is when it happened at the provider.",
            operationId = "recordFederationEvent")
    @PostMapping("/events")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = WRITE, audit = "auth.federation.event.recorded", resourceType = "federation_event",
            resourceId = "#result.eventId")
    EventRecorded record(Caller caller, @Valid @RequestBody RecordEventRequest request) {
        return EventRecorded.of(management.record(caller, new NewEvent(request.eventType(), request.provider(),
                request.userId(), request.outcome(), request.metadata(), request.targetTenantId(),
                request.timestamp())));
    }

    @Operation(summary = "Query the caller's events",
            description = "Keyset-paged by (timestamp, eventId); pass nextCursor as cursor with the same filters.",
            operationId = "queryFederationEvents")
    @PostMapping("/query")
    @RequiredControls(scopes = READ, audit = "auth.federation.events.queried", resourceType = "federation_event")
    EventPage query(Caller caller, @Valid @RequestBody QueryRequest request) {
        return management.query(caller, new EventFilter(request.startTime(), request.endTime(), request.eventTypes(),
                request.providers(), request.userIds(), request.limit(), request.cursor(), request.order()));
    }

    @Operation(summary = "Cross-tenant activity of the caller's tenant (tenant administrators)",
            description = "Pairs of tenants where the caller's tenant is the source or the target;"
                    + " tenantIds restricts the other side.",
            operationId = "getCrossTenantActivity")
    @GetMapping("/cross-tenant")
    @RequiredControls(admin = true, scopes = READ, audit = "auth.federation.cross_tenant.read",
            resourceType = "federation_event")
    CrossTenantResponse crossTenant(Caller caller,
                                    @RequestParam(defaultValue = "24h") @Size(max = 8) String period,
                                    @RequestParam(required = false) @Size(max = 100)
                                    List<@NotBlank @Size(max = 128) String> tenantIds) {
        LookBackPeriod window = LookBackPeriod.parse(period);
        return new CrossTenantResponse(window.value(), management.crossTenantActivity(caller, window,
                tenantIds == null ? List.of() : tenantIds));
    }
}
