package io.qnsp.kpi.definition.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kpi.KpiScopes;
import io.qnsp.kpi.definition.Aggregation;
import io.qnsp.kpi.definition.Contract;
import io.qnsp.kpi.definition.KpiCatalog;
import io.qnsp.kpi.definition.KpiDefinition;
import io.qnsp.kpi.definition.KpiSource;
import io.qnsp.kpi.definition.Names;
import io.qnsp.kpi.definition.NewContract;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

import java.time.Instant;
import java.util.List;

/**
 * Spec 000's {@code GET /kpis}, and (additive) defining a tenant's KPIs and publishing new versions of their
 * contracts. Listing needs {@code kpi:read}, changes {@code kpi:write}.
 */
@Tag(name = "KPIs")
@RestController
@RequestMapping("/api/v1/storage/kpi")
class KpiController {

    record ContractView(@Schema(description = "the version: v1, v2, …") String contract,
                        @Nullable String description, @Nullable String unit,
                        @Schema(description = "what a query of this version gets when it names no aggregation")
                        Aggregation aggregation,
                        @Schema(description = "the dimensions a query of this version may filter on")
                        List<String> dimensions,
                        @Schema(description = "when it was published; null for the platform's KPIs")
                        @Nullable Instant createdAt) {

        static ContractView of(Contract contract) {
            return new ContractView(contract.name(), contract.description(), contract.unit(), contract.aggregation(),
                    contract.dimensions(), contract.createdAt());
        }
    }

    record KpiItem(String kpi,
                   @Schema(description = "the newest contract version, which a query naming none is answered under")
                   String contract,
                   @Schema(description = "platform: defined and fed by the platform from its events; tenant: defined "
                           + "by the tenant and fed through POST /ingest") KpiSource source,
                   @Schema(description = "every published version, oldest first; each stays queryable")
                   List<ContractView> contracts) {

        static KpiItem of(KpiDefinition definition) {
            return new KpiItem(definition.kpi(), definition.latest().name(), definition.source(),
                    definition.contracts().stream().map(ContractView::of).toList());
        }
    }

    record KpiList(@Schema(description = "the platform's KPIs first, then the tenant's by name") List<KpiItem> items) {
    }

    record DefineRequest(@Schema(description = "the KPI's name: 1 to 64 lower-case letters, digits or underscores, "
            + "starting with a letter") String kpi,
                         @Nullable String description,
                         @Schema(description = "e.g. USD, ms; at most 32 characters") @Nullable String unit,
                         @Schema(description = "sum by default") @Nullable Aggregation aggregation,
                         @Schema(description = "the dimension names samples may carry (at most 16); none by default")
                         @Nullable List<String> dimensions) {
    }

    record PublishRequest(@Schema(description = "the newest version as the caller knows it; the change is refused "
            + "with 409 version_conflict when another was published since") String basedOn,
                          @Nullable String description, @Nullable String unit,
                          @Schema(description = "sum by default") @Nullable Aggregation aggregation,
                          @Schema(description = "the dimensions of the new version (at most 16); none by default")
                          @Nullable List<String> dimensions) {
    }

    private final KpiCatalog catalog;

    KpiController(KpiCatalog catalog) {
        this.catalog = catalog;
    }

    @Operation(summary = "List the KPIs", operationId = "listKpis",
            description = "Every KPI the tenant can query: the platform's own (fed from its request-log and usage "
                    + "events) and those the tenant defined, each with its newest contract version and all earlier "
                    + "ones. Needs kpi:read.")
    @GetMapping("/kpis")
    @RequiredControls(scopes = KpiScopes.READ)
    KpiList list(Caller caller) {
        String tenant = TenantRequired.tenantOf(caller);
        return new KpiList(catalog.list(tenant).stream().map(KpiItem::of).toList());
    }

    @Operation(summary = "Define a KPI", operationId = "defineKpi",
            description = "A KPI of the tenant with its first contract, v1; its series is fed through POST /ingest. "
                    + "Needs kpi:write.")
    @ApiResponse(responseCode = "201", description = "The KPI was defined with contract v1")
    @FailureResponse(status = 409, description = "version_conflict: the tenant already defines a KPI of this name "
            + "(details.currentContract names its newest version)")
    @PostMapping("/kpis")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KpiScopes.WRITE, audit = "kpi.definition.created", resourceType = "kpi",
            resourceId = "#request.kpi")
    KpiItem define(Caller caller, @RequestBody DefineRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.kpi() == null) {
            problems.add("kpi", "is required");
        } else if (!Names.valid(request.kpi())) {
            problems.add("kpi", Names.RULE);
        }
        NewContract contract = NewContract.of(request.description(), request.unit(), request.aggregation(),
                request.dimensions(), problems);
        problems.throwIfAny();
        return KpiItem.of(catalog.define(tenant, caller.principal(), request.kpi(), contract));
    }

    @Operation(summary = "Publish a new contract version", operationId = "publishKpiContract",
            description = "The KPI's next version (v2 after v1, …). Earlier versions stay as they were: a query "
                    + "naming one is validated against its dimensions and gets its default aggregation, whatever "
                    + "the newer versions say; a query naming none gets the new one. Needs kpi:write.")
    @ApiResponse(responseCode = "201", description = "The version was published")
    @FailureResponse(status = 403, description = "forbidden: the platform's KPIs cannot be changed by a tenant")
    @FailureResponse(status = 404, description = "not_found: the tenant has no KPI of this name, or basedOn names no "
            + "published version")
    @FailureResponse(status = 409, description = "version_conflict: basedOn is no longer the newest version "
            + "(details.currentContract names it)")
    @PostMapping("/kpis/{kpi}/contracts")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KpiScopes.WRITE, audit = "kpi.contract.published", resourceType = "kpi",
            resourceId = "#kpi")
    KpiItem publish(Caller caller, @PathVariable String kpi, @RequestBody PublishRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.basedOn() == null) {
            problems.add("basedOn", "is required");
        } else if (Contract.parse(request.basedOn()) < 0) {
            problems.add("basedOn", "must be a version such as v1");
        }
        NewContract contract = NewContract.of(request.description(), request.unit(), request.aggregation(),
                request.dimensions(), problems);
        problems.throwIfAny();
        return KpiItem.of(catalog.publish(tenant, caller.principal(), kpi, request.basedOn(), contract));
    }
}
