package io.qnsp.observability.cost;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a budget of that name. */
public class BudgetNameTaken extends ApiException {

    public BudgetNameTaken(String name) {
        super(HttpStatus.CONFLICT, "budget_exists", "A budget with this name exists already",
                Map.of("field", "name", "name", name));
    }
}
