package io.qnsp.observability.dashboard;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Custom dashboards: their definitions checked against the grid and the metrics the service knows. */
@Service
public class DashboardManagement {

    public static final List<String> PANEL_TYPES = List.of("chart", "metric", "table", "text");
    public static final int MAX_COLUMNS = 48;
    public static final int MAX_ROWS = 200;
    public static final int MAX_PANELS = 50;
    static final int MAX_TEXT = 4000;

    private final Dashboards dashboards;
    private final Clock clock;

    DashboardManagement(Dashboards dashboards, Clock clock) {
        this.dashboards = dashboards;
        this.clock = clock;
    }

    /** A panel as the caller describes it; any part may be missing. */
    public record PanelDefinition(@Nullable String type, @Nullable String title, @Nullable String query,
                                  @Nullable Integer x, @Nullable Integer y, @Nullable Integer w,
                                  @Nullable Integer h, boolean positionGiven) {
    }

    /** A dashboard as the caller describes it. */
    public record DashboardDefinition(@Nullable String name, @Nullable String description, @Nullable Integer columns,
                                      @Nullable Integer rows, @Nullable List<PanelDefinition> panels,
                                      @Nullable Boolean starred, @Nullable Boolean shared) {
    }

    /** Creates the tenant's dashboard, owned by its creator; every broken rule of the definition is a 400. */
    @Transactional
    public Dashboard create(String tenantId, DashboardDefinition definition, String owner) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (definition.name() == null || definition.name().isBlank()) {
            problems.add("name", "is required");
        } else if (definition.name().length() > 200) {
            problems.add("name", "must be at most 200 characters");
        }
        if (definition.description() != null && definition.description().length() > 2000) {
            problems.add("description", "must be at most 2000 characters");
        }
        boolean gridKnown = true;
        if (definition.columns() == null) {
            problems.add("layout.columns", "is required");
            gridKnown = false;
        } else if (definition.columns() < 1 || definition.columns() > MAX_COLUMNS) {
            problems.add("layout.columns", "must be from 1 to " + MAX_COLUMNS);
            gridKnown = false;
        }
        if (definition.rows() == null) {
            problems.add("layout.rows", "is required");
            gridKnown = false;
        } else if (definition.rows() < 1 || definition.rows() > MAX_ROWS) {
            problems.add("layout.rows", "must be from 1 to " + MAX_ROWS);
            gridKnown = false;
        }
        List<Panel> panels = new ArrayList<>();
        List<PanelDefinition> given = definition.panels() == null ? List.of() : definition.panels();
        if (given.size() > MAX_PANELS) {
            problems.add("panels", "must hold at most " + MAX_PANELS + " panels");
        }
        for (int i = 0; i < given.size() && i < MAX_PANELS; i++) {
            Panel panel = panel(given.get(i), "panels[" + i + "]", definition, gridKnown, problems);
            if (panel != null) {
                for (int j = 0; j < panels.size(); j++) {
                    if (panels.get(j) != null && panels.get(j).position().overlaps(panel.position())) {
                        problems.add("panels[" + i + "].position", "overlaps panels[" + j + "]");
                    }
                }
            }
            panels.add(panel);
        }
        problems.throwIfAny();
        String name = definition.name().strip();
        if (dashboards.nameTaken(tenantId, name)) {
            throw new DashboardNameTaken(name);
        }
        Dashboard dashboard = new Dashboard(UUID.randomUUID(), tenantId, name, definition.description(),
                definition.columns(), definition.rows(), List.copyOf(panels), owner,
                Boolean.TRUE.equals(definition.starred()), Boolean.TRUE.equals(definition.shared()), clock.instant());
        dashboards.insert(dashboard);
        return dashboard;
    }

    /** The tenant's dashboards the principal sees: its own and those shared with the tenant. */
    public List<Dashboard> visibleTo(String tenantId, String principal) {
        return dashboards.visibleTo(tenantId, principal);
    }

    private static @Nullable Panel panel(@Nullable PanelDefinition panel, String field, DashboardDefinition dashboard,
                                         boolean gridKnown, InvalidField.Problems problems) {
        if (panel == null) {
            problems.add(field, "must be a panel");
            return null;
        }
        boolean valid = true;
        if (panel.type() == null || !PANEL_TYPES.contains(panel.type())) {
            problems.add(field + ".type", panel.type() == null ? "is required" : "must be one of " + PANEL_TYPES);
            valid = false;
        }
        if (panel.title() == null || panel.title().isBlank()) {
            problems.add(field + ".title", "is required");
            valid = false;
        } else if (panel.title().length() > 200) {
            problems.add(field + ".title", "must be at most 200 characters");
            valid = false;
        }
        if (panel.query() != null && panel.query().length() > MAX_TEXT) {
            problems.add(field + ".query", "must be at most " + MAX_TEXT + " characters");
            valid = false;
        } else if (panel.type() != null && !"text".equals(panel.type())) {
            if (panel.query() == null || panel.query().isBlank()) {
                problems.add(field + ".query", "is required for a " + panel.type() + " panel");
                valid = false;
            } else {
                StringBuilder problem = new StringBuilder();
                if (PanelQuery.parse(panel.query(), problem).isEmpty()) {
                    problems.add(field + ".query", problem.toString());
                    valid = false;
                }
            }
        }
        if (!panel.positionGiven()) {
            problems.add(field + ".position", "is required");
            return null;
        }
        valid &= coordinate(panel.x(), 0, field + ".position.x", problems);
        valid &= coordinate(panel.y(), 0, field + ".position.y", problems);
        valid &= coordinate(panel.w(), 1, field + ".position.w", problems);
        valid &= coordinate(panel.h(), 1, field + ".position.h", problems);
        if (!valid || !gridKnown) {
            return null;
        }
        if (panel.x() + panel.w() > dashboard.columns()) {
            problems.add(field + ".position.w", "takes the panel past the layout's " + dashboard.columns()
                    + " columns");
            return null;
        }
        if (panel.y() + panel.h() > dashboard.rows()) {
            problems.add(field + ".position.h", "takes the panel past the layout's " + dashboard.rows() + " rows");
            return null;
        }
        return new Panel(panel.type(), panel.title().strip(), panel.query() == null ? null : panel.query().strip(),
                new Panel.Position(panel.x(), panel.y(), panel.w(), panel.h()));
    }

    private static boolean coordinate(@Nullable Integer value, int min, String field,
                                      InvalidField.Problems problems) {
        if (value == null) {
            problems.add(field, "is required");
            return false;
        }
        if (value < min) {
            problems.add(field, "must be at least " + min);
            return false;
        }
        return true;
    }
}
