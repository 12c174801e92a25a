package io.qnsp.billing.account;

import io.qnsp.common.error.InvalidField;

/** The plan named is not in the price book. */
public class UnknownPlan extends InvalidField {

    public UnknownPlan(java.util.Collection<String> plans) {
        super("plan", "must be one of " + plans, java.util.Map.of("allowedValues", java.util.List.copyOf(plans)));
    }
}
