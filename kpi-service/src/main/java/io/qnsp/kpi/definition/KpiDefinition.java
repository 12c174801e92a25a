package io.qnsp.kpi.definition;

import java.util.List;
import java.util.Optional;

/** A KPI as a tenant sees it: its name, who feeds it and every contract version, oldest first. */
public record KpiDefinition(String kpi, KpiSource source, List<Contract> contracts) {

    public KpiDefinition {
        if (contracts.isEmpty()) {
            throw new IllegalArgumentException("a KPI has at least one contract");
        }
        contracts = List.copyOf(contracts);
    }

    /** The newest contract: what a query that names no version is answered under. */
    public Contract latest() {
        return contracts.getLast();
    }

    /** The contract of that name ({@code v2}), if it was published. */
    public Optional<Contract> contract(String name) {
        int version = Contract.parse(name);
        return contracts.stream().filter(c -> c.version() == version).findFirst();
    }

    public List<String> contractNames() {
        return contracts.stream().map(Contract::name).toList();
    }
}
