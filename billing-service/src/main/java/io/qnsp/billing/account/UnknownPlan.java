package io.qnsp.billing.account;

import io.qnsp.common.error.InvalidField;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The plan named is not in the price book. */
public class UnknownPlan extends InvalidField {

    public UnknownPlan(Collection<String> plans) {
        super("plan", "must be one of " + plans, Map.of("allowedValues", List.copyOf(plans)));
    }
}
