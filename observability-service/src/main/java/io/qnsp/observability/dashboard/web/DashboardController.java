package io.qnsp.observability.dashboard.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.observability.ObservabilityScopes;
import io.qnsp.observability.dashboard.Dashboard;
import io.qnsp.observability.dashboard.DashboardManagement;
import io.qnsp.observability.dashboard.Panel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Custom dashboards of the caller's tenant: panels over the metrics the service computes. */
@Tag(name = "Custom dashboards")
@RestController
@RequestMapping("/observability/v1/dashboards")
class DashboardController {

    record Layout(@Schema(description = "1 to 48") @Nullable Integer columns,
                  @Schema(description = "1 to 200") @Nullable Integer rows) {
    }

    record Position(@Nullable Integer x, @Nullable Integer y, @Nullable Integer w, @Nullable Integer h) {
    }

    record PanelBody(@Schema(allowableValues = {"chart", "metric", "table", "text"}) @Nullable String type,
                     @Nullable String title,
                     @Schema(description = "for chart, metric and table panels a metric (request_count, error_rate, "
                             + "client_error_rate, latency_mean_ms, latency_max_ms, rate_limited_count), optionally "
                             + "aggregated: sum, avg, min, max or p95, as in avg(error_rate); for text panels the "
                             + "text") @Nullable String query,
                     @Nullable Position position) {
    }

    record CreateDashboardRequest(@Nullable String name, @Nullable String description, @Nullable Layout layout,
                                  @Nullable List<PanelBody> panels,
                                  @Schema(description = "listed first; default false") @Nullable Boolean starred,
                                  @Schema(description = "seen by every member of the tenant rather than its owner "
                                          + "only; default false") @Nullable Boolean shared) {
    }

    record DashboardCreated(UUID dashboardId, String name, Instant createdAt, String owner, boolean starred,
                            boolean shared, List<Panel> panels) {
    }

    record DashboardSummary(UUID dashboardId, String name, @Nullable String description, String owner,
                            boolean starred, boolean shared, int panelCount, Instant createdAt) {
    }

    record DashboardList(List<DashboardSummary> dashboards) {
    }

    private final DashboardManagement management;

    DashboardController(DashboardManagement management) {
        this.management = management;
    }

    @Operation(summary = "Create custom dashboard", operationId = "createDashboard",
            description = "Panels must lie on the layout's grid without overlapping, and data panels must name a "
                    + "metric the service knows. Needs observability:write.")
    @FailureResponse(status = 409, description = "the tenant has a dashboard of that name already")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = ObservabilityScopes.WRITE, audit = "observability.dashboard.created",
            resourceType = "dashboard", resourceId = "#result.dashboardId")
    DashboardCreated create(Caller caller, @RequestBody CreateDashboardRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        List<DashboardManagement.PanelDefinition> panels = request.panels() == null ? null
                : request.panels().stream().map(DashboardController::panel).toList();
        Dashboard dashboard = management.create(tenant, new DashboardManagement.DashboardDefinition(request.name(),
                request.description(), request.layout() == null ? null : request.layout().columns(),
                request.layout() == null ? null : request.layout().rows(), panels, request.starred(),
                request.shared()), caller.principal());
        return new DashboardCreated(dashboard.dashboardId(), dashboard.name(), dashboard.createdAt(),
                dashboard.owner(), dashboard.starred(), dashboard.shared(), dashboard.panels());
    }

    @Operation(summary = "List custom dashboards", operationId = "listDashboards",
            description = "The caller's own dashboards and those shared with its tenant, starred first. Needs "
                    + "observability:read.")
    @GetMapping
    @RequiredControls(scopes = ObservabilityScopes.READ, audit = "observability.dashboards.listed",
            resourceType = "dashboard")
    DashboardList list(Caller caller) {
        String tenant = TenantRequired.tenantOf(caller);
        return new DashboardList(management.visibleTo(tenant, caller.principal()).stream()
                .map(d -> new DashboardSummary(d.dashboardId(), d.name(), d.description(), d.owner(), d.starred(),
                        d.shared(), d.panels().size(), d.createdAt())).toList());
    }

    private static DashboardManagement.@Nullable PanelDefinition panel(@Nullable PanelBody body) {
        if (body == null) {
            return null;
        }
        Position position = body.position();
        return new DashboardManagement.PanelDefinition(body.type(), body.title(), body.query(),
                position == null ? null : position.x(), position == null ? null : position.y(),
                position == null ? null : position.w(), position == null ? null : position.h(), position != null);
    }
}
