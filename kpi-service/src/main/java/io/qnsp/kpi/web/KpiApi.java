package io.qnsp.kpi.web;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;

/** Facts about the KPI store's HTTP API shared by its features. */
public final class KpiApi {

    /** Every path of the API lies under this base, as the gateway forwards it. */
    public static final String BASE = "/api/v1/storage/kpi";
    /** The pattern matching every path of the API. */
    public static final String ALL_PATHS = BASE + "/**";

    /** Spec 000's code for a 409: a contract version or a request id that does not match what the store holds. */
    public static final String VERSION_CONFLICT = "version_conflict";

    private KpiApi() {
    }

    /** Whether the handler is one of the API's endpoints (its controller is mapped under {@link #BASE}). */
    public static boolean serves(HandlerMethod handler) {
        RequestMapping mapping = handler.getBeanType().getAnnotation(RequestMapping.class);
        return mapping != null && mapping.value().length > 0 && mapping.value()[0].startsWith(BASE);
    }
}
