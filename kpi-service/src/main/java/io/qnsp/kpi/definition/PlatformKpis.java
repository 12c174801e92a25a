package io.qnsp.kpi.definition;

import java.util.List;
import java.util.Optional;

/**
 * The KPIs the platform defines for every tenant and feeds from its own event streams. Their names carry a dot,
 * which a tenant's KPI names cannot, so the two never collide.
 */
public final class PlatformKpis {

    /** Names of the platform's KPIs start with this. */
    public static final String PREFIX = "platform.";

    /** Each API request of the tenant through the gateway (request-log stream), valued by its duration. */
    public static final String REQUEST_DURATION = PREFIX + "request_duration_ms";
    /** Each billable operation of the tenant (usage stream), valued by its quantity. */
    public static final String USAGE = PREFIX + "usage";

    public static final String METHOD = "method";
    public static final String STATUS = "status";
    public static final String STATUS_CLASS = "status_class";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String OPERATION = "operation";
    public static final String SERVICE = "service";

    private static final List<KpiDefinition> ALL = List.of(
            new KpiDefinition(REQUEST_DURATION, KpiSource.PLATFORM, List.of(new Contract(1,
                    "Duration of each API request the gateway served for the tenant, one sample per request; "
                            + "count gives the number of requests", "ms", Aggregation.AVG,
                    List.of(METHOD, STATUS, STATUS_CLASS, RATE_LIMITED), null))),
            new KpiDefinition(USAGE, KpiSource.PLATFORM, List.of(new Contract(1,
                    "Billable operations performed for the tenant, one sample per usage event valued by its quantity",
                    "operations", Aggregation.SUM, List.of(OPERATION, SERVICE), null))));

    private PlatformKpis() {
    }

    public static List<KpiDefinition> all() {
        return ALL;
    }

    public static Optional<KpiDefinition> find(String kpi) {
        return ALL.stream().filter(definition -> definition.kpi().equals(kpi)).findFirst();
    }

    public static boolean isPlatformName(String kpi) {
        return kpi != null && kpi.startsWith(PREFIX);
    }
}
