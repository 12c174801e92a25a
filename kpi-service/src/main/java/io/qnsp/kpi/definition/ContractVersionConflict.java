package io.qnsp.kpi.definition;

import io.qnsp.common.error.ApiException;
import io.qnsp.kpi.web.KpiApi;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A contract change was based on a version that is not the KPI's newest (someone published in between), or a KPI
 * was defined under a name that already has contracts: 409 {@code version_conflict} naming the current version.
 */
public class ContractVersionConflict extends ApiException {

    private ContractVersionConflict(String message, String field, String current) {
        super(HttpStatus.CONFLICT, KpiApi.VERSION_CONFLICT, message, Map.of("field", field, "currentContract", current));
    }

    static ContractVersionConflict alreadyDefined(String current) {
        return new ContractVersionConflict("The KPI is already defined; publish a new contract version instead",
                "kpi", current);
    }

    static ContractVersionConflict notLatest(String current) {
        return new ContractVersionConflict("basedOn is not the KPI's newest contract", "basedOn", current);
    }
}
