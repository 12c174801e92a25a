package io.qnsp.kpi.series.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kpi.KpiScopes;
import io.qnsp.kpi.definition.Contract;
import io.qnsp.kpi.definition.KpiCatalog;
import io.qnsp.kpi.definition.KpiDefinition;
import io.qnsp.kpi.definition.KpiSource;
import io.qnsp.kpi.definition.PlatformKpiReadOnly;
import io.qnsp.kpi.series.IngestSettings;
import io.qnsp.kpi.series.Sample;
import io.qnsp.kpi.series.SampleIngestion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Additive to spec 000: a tenant feeds its KPIs' series. Needs {@code kpi:write}. */
@Tag(name = "Ingest")
@RestController
@RequestMapping("/api/v1/storage/kpi")
class IngestController {

    static final int MAX_ID = 200;
    static final int MAX_VALUE = 256;
    static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    record SampleRequest(@Schema(description = "the sample's own id, up to 200 characters: a sample whose id was "
            + "ingested for the KPI before is not stored again, so a batch can be retried safely") @Nullable String id,
                         @Schema(description = "when the value was observed: ISO 8601 with an offset") Instant ts,
                         @Schema(description = "a finite number") Double value,
                         @Schema(description = "dimension name to value (1 to 256 characters); only the contract's "
                                 + "dimensions") @Nullable Map<String, String> dimensions) {
    }

    record IngestRequest(String kpi,
                         @Schema(description = "the contract the samples follow (its dimensions); the newest by "
                                 + "default") @Nullable String contract,
                         @Schema(description = "1 to qnsp.kpi.ingest.max-samples (10000) samples")
                         List<SampleRequest> samples) {
    }

    record IngestResponse(String kpi, @Schema(description = "the contract the samples were checked against")
                          String contract,
                          @Schema(description = "samples stored") int accepted,
                          @Schema(description = "samples not stored again: their id was ingested before")
                          int duplicates) {
    }

    private final KpiCatalog catalog;
    private final SampleIngestion ingestion;
    private final IngestSettings settings;

    IngestController(KpiCatalog catalog, SampleIngestion ingestion, IngestSettings settings) {
        this.catalog = catalog;
        this.ingestion = ingestion;
        this.settings = settings;
    }

    @Operation(summary = "Ingest samples into a KPI's series", operationId = "ingestKpiSamples",
            description = "Adds samples to one of the tenant's KPIs; they count in every query from the moment this "
                    + "answers. Each sample may carry the dimensions of the contract named (the newest by default). "
                    + "All samples are checked before any is stored. Needs kpi:write.")
    @FailureResponse(status = 403, description = "forbidden: the platform's KPIs are fed by the platform only")
    @FailureResponse(status = 404, description = "not_found: the tenant has no KPI of this name, or the contract "
            + "named was not published")
    @PostMapping("/ingest")
    @RequiredControls(scopes = KpiScopes.WRITE, audit = "kpi.samples.ingested", resourceType = "kpi",
            resourceId = "#request.kpi")
    IngestResponse ingest(Caller caller, @RequestBody IngestRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.kpi() == null) {
            problems.add("kpi", "is required");
        }
        if (request.samples() == null) {
            problems.add("samples", "is required");
        } else if (request.samples().isEmpty() || request.samples().size() > settings.maxSamples()) {
            problems.add("samples", "must have 1 to " + settings.maxSamples() + " entries");
        }
        problems.throwIfAny();
        KpiDefinition definition = catalog.get(tenant, request.kpi(), "kpi");
        if (definition.source() == KpiSource.PLATFORM) {
            throw new PlatformKpiReadOnly("kpi");
        }
        Contract contract = catalog.contract(definition, request.contract(), "contract");
        List<Sample> samples = new ArrayList<>(request.samples().size());
        for (int i = 0; i < request.samples().size(); i++) {
            Sample sample = sample(request.samples().get(i), "samples[" + i + "]", contract, problems);
            if (sample != null) {
                samples.add(sample);
            }
        }
        problems.throwIfAny();
        int accepted = ingestion.ingest(tenant, definition.kpi(), samples);
        return new IngestResponse(definition.kpi(), contract.name(), accepted, samples.size() - accepted);
    }

    private static @Nullable Sample sample(@Nullable SampleRequest request, String field, Contract contract,
                                           InvalidField.Problems problems) {
        if (request == null) {
            problems.add(field, "must not be null");
            return null;
        }
        boolean valid = true;
        if (request.id() != null && (request.id().isEmpty() || request.id().length() > MAX_ID)) {
            problems.add(field + ".id", "must be 1 to " + MAX_ID + " characters");
            valid = false;
        }
        if (request.ts() == null) {
            problems.add(field + ".ts", "is required");
            valid = false;
        } else if (request.ts().isBefore(EARLIEST) || request.ts().isAfter(LATEST)) {
            problems.add(field + ".ts", "must lie between the years 1900 and 9999");
            valid = false;
        }
        if (request.value() == null) {
            problems.add(field + ".value", "is required");
            valid = false;
        } else if (!Double.isFinite(request.value())) {
            problems.add(field + ".value", "must be a finite number");
            valid = false;
        }
        Map<String, String> dimensions = request.dimensions() == null ? Map.of() : request.dimensions();
        for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
            String name = field + ".dimensions." + dimension.getKey();
            if (!contract.hasDimension(dimension.getKey())) {
                problems.add(name, "is not a dimension of contract " + contract.name());
                problems.detail("dimensions", contract.dimensions());
                valid = false;
            } else if (dimension.getValue() == null || dimension.getValue().isEmpty()
                    || dimension.getValue().length() > MAX_VALUE) {
                problems.add(name, "must be 1 to " + MAX_VALUE + " characters");
                valid = false;
            }
        }
        return valid ? new Sample(request.ts(), request.value(), dimensions,
                request.id() == null ? null : "api:" + request.id()) : null;
    }
}
