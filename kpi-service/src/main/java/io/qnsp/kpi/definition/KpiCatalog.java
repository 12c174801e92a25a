package io.qnsp.kpi.definition;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The KPIs a tenant can query: the platform's own and the tenant's, with their contract versions. Contracts are
 * versioned: publishing a new version leaves every earlier one as it was, so a query pinned to an earlier version is
 * answered exactly as before.
 */
@Service
public class KpiCatalog {

    private final KpiDefinitions definitions;
    private final Clock clock;

    KpiCatalog(KpiDefinitions definitions, Clock clock) {
        this.definitions = definitions;
        this.clock = clock;
    }

    /**
     * The KPI of that name for the tenant.
     *
     * @param field the request field that named it, for the 404's details
     * @throws KpiNotFound when neither the tenant nor the platform defines it
     */
    public KpiDefinition get(String tenant, String kpi, String field) {
        if (PlatformKpis.isPlatformName(kpi)) {
            return PlatformKpis.find(kpi).orElseThrow(() -> new KpiNotFound(field));
        }
        return definitions.find(tenant, kpi).orElseThrow(() -> new KpiNotFound(field));
    }

    /**
     * The contract a request names, or the newest when it names none.
     *
     * @throws ContractNotFound when the KPI has no such version
     */
    public Contract contract(KpiDefinition definition, String name, String field) {
        if (name == null) {
            return definition.latest();
        }
        return definition.contract(name).orElseThrow(() -> new ContractNotFound(field, definition.contractNames()));
    }

    /** The platform's KPIs, then the tenant's by name. */
    public List<KpiDefinition> list(String tenant) {
        List<KpiDefinition> all = new ArrayList<>(PlatformKpis.all());
        all.addAll(definitions.list(tenant));
        return all;
    }

    /**
     * Defines a KPI of the tenant with contract v1.
     *
     * @throws ContractVersionConflict when the tenant already defines it
     */
    @Transactional
    public KpiDefinition define(String tenant, String by, String kpi, NewContract contract) {
        if (!definitions.create(tenant, kpi, contract, by, clock.instant())) {
            throw ContractVersionConflict.alreadyDefined(get(tenant, kpi, "kpi").latest().name());
        }
        return get(tenant, kpi, "kpi");
    }

    /**
     * Publishes the KPI's next contract version, based on {@code basedOn}, which must be the newest.
     *
     * @throws KpiNotFound             when the tenant does not define the KPI
     * @throws PlatformKpiReadOnly     for the platform's KPIs
     * @throws ContractNotFound        when {@code basedOn} names no published version
     * @throws ContractVersionConflict when {@code basedOn} is not the newest version
     */
    @Transactional
    public KpiDefinition publish(String tenant, String by, String kpi, String basedOn, NewContract contract) {
        KpiDefinition current = get(tenant, kpi, "kpi");
        if (current.source() == KpiSource.PLATFORM) {
            throw new PlatformKpiReadOnly("kpi");
        }
        Contract base = contract(current, basedOn, "basedOn");
        if (definitions.publish(tenant, kpi, base.version(), contract, by, clock.instant()).isEmpty()) {
            throw ContractVersionConflict.notLatest(get(tenant, kpi, "kpi").latest().name());
        }
        return get(tenant, kpi, "kpi");
    }
}
