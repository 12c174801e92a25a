package io.qnsp.kpi.series.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kpi.KpiScopes;
import io.qnsp.kpi.definition.KpiCatalog;
import io.qnsp.kpi.definition.Names;
import io.qnsp.kpi.series.DimensionValues;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Spec 000's {@code GET /dimensions?name=}: the values a dimension has taken, a page at a time. */
@Tag(name = "Dimensions")
@RestController
@RequestMapping("/api/v1/storage/kpi")
class DimensionController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    record DimensionValuesPage(@Schema(description = "values in byte order of their UTF-8 text") List<String> items,
                               @Schema(description = "pass as cursor for the next page; null on the last page")
                               @Nullable String nextCursor) {
    }

    private final DimensionValues values;
    private final KpiCatalog catalog;

    DimensionController(DimensionValues values, KpiCatalog catalog) {
        this.values = values;
        this.catalog = catalog;
    }

    @Operation(summary = "Get a dimension's values", operationId = "getDimensionValues",
            description = "Every value the dimension has taken in the tenant's samples (of one KPI, or of all), "
                    + "whatever contract version they were ingested under. Large dimensions are read a page at a "
                    + "time: nextCursor leads to the next page. Needs kpi:read.")
    @FailureResponse(status = 404, description = "not_found: kpi names no KPI of the tenant or the platform")
    @GetMapping("/dimensions")
    @RequiredControls(scopes = KpiScopes.READ)
    DimensionValuesPage dimensions(Caller caller,
                                   @Parameter(description = "the dimension, e.g. region", required = true)
                                   @RequestParam String name,
                                   @Parameter(description = "only the values of this KPI's samples")
                                   @RequestParam(required = false) @Nullable String kpi,
                                   @Parameter(description = "values per page: 1 to 1000, 100 by default")
                                   @RequestParam(required = false) @Nullable Integer limit,
                                   @Parameter(description = "the nextCursor of the page before")
                                   @RequestParam(required = false) @Nullable String cursor) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (!Names.valid(name)) {
            problems.add("name", Names.RULE);
        }
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            problems.add("limit", "must be between 1 and " + MAX_LIMIT);
        }
        String after = cursor == null ? null : decode(cursor, problems);
        problems.throwIfAny();
        String kpiName = kpi == null ? null : catalog.get(tenant, kpi, "kpi").kpi();
        List<String> page = values.page(tenant, name, kpiName, after, size + 1);
        boolean more = page.size() > size;
        List<String> items = more ? page.subList(0, size) : page;
        return new DimensionValuesPage(List.copyOf(items), more ? encode(items.getLast()) : null);
    }

    private static String encode(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static @Nullable String decode(String cursor, InvalidField.Problems problems) {
        try {
            String value = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!value.isEmpty() && encode(value).equals(cursor)) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add("cursor", "is not a cursor this endpoint gave");
        return null;
    }
}
