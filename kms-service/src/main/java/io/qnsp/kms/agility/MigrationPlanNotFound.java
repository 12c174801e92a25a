package io.qnsp.kms.agility;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No migration plan with that id exists for the caller's tenant (another tenant's plan is not found either). */
class MigrationPlanNotFound extends ApiException {

    MigrationPlanNotFound() {
        super(HttpStatus.NOT_FOUND, "migration_plan_not_found", "No such migration plan");
    }
}
