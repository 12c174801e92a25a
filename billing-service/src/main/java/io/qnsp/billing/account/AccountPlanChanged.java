package io.qnsp.billing.account;

/** An operator moved a tenant to another plan; published in the changing transaction (in process). */
public record AccountPlanChanged(String tenantId, String previousPlan, String plan) {
}
