package io.qnsp.common.controls;

import org.springframework.context.ApplicationContext;

/**
 * The quota control's own counter (common-lib's {@code QuotaCounter}, the one {@code @RequiredControls(quota)}
 * enforces), driven as another service's controlled calls would drive it, so a test sees tenant-service read the
 * very counters the platform enforces.
 */
public final class QuotaControl {

    private final QuotaCounter counter;

    public QuotaControl(ApplicationContext context) {
        this.counter = context.getBean(QuotaCounter.class);
    }

    /** Takes {@code units} units of the resource for the tenant on the plan; false once the limit refuses one. */
    public boolean take(String tenantId, String plan, String resource, Long tenantLimit, int units) {
        for (int i = 0; i < units; i++) {
            try {
                counter.take(tenantId, plan, resource, tenantLimit);
            } catch (ControlDenied refused) {
                return false;
            }
        }
        return true;
    }
}
