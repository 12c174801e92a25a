package io.qnsp.observability.dashboard;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's custom dashboard: a grid of panels over the service's metrics.
 *
 * @param owner  the principal who created it; the only one who sees it unless it is shared
 * @param shared whether every member of the tenant sees it
 */
public record Dashboard(UUID dashboardId, String tenantId, String name, @Nullable String description, int columns,
                        int rows, List<Panel> panels, String owner, boolean starred, boolean shared,
                        Instant createdAt) {
}
