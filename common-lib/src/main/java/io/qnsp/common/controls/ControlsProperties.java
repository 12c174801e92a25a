package io.qnsp.common.controls;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Map;

/**
 * Settings of the required controls.
 *
 * @param quota       per plan, per quota resource, the number of calls allowed per window, e.g.
 *                    {@code qnsp.controls.quota.pro.kms.keys=1000}; plan {@code default} applies to plans (and
 *                    callers without a plan) that do not name the resource; a resource named nowhere is unlimited
 * @param quotaWindow the counting period, {@code month} (UTC calendar month) by default, or {@code day}
 * @param quotaFailureMode what a quota-controlled call gets while Redis, which holds the counters, cannot be reached:
 *                    {@code fail-open} (default) lets it through uncounted, {@code fail-closed} refuses it with 503
 */
@ConfigurationProperties("qnsp.controls")
public record ControlsProperties(Map<String, Map<String, Long>> quota,
                                 @DefaultValue("month") QuotaWindow quotaWindow,
                                 @DefaultValue("fail-open") QuotaFailureMode quotaFailureMode) {

    /** While the quota counters cannot be reached. */
    public enum QuotaFailureMode {
        /** The call goes through and is not counted (a tenant may exceed its quota by what it does meanwhile). */
        FAIL_OPEN,
        /** The call is refused with 503 and {@code Retry-After}. */
        FAIL_CLOSED
    }

    public static final String DEFAULT_PLAN = "default";

    public ControlsProperties {
        quota = quota == null ? Map.of() : Map.copyOf(quota);
    }

    /** The limit for the plan and resource, or {@code null} when none is configured. */
    public Long limit(String plan, String resource) {
        if (plan != null) {
            Map<String, Long> planLimits = quota.get(plan);
            if (planLimits != null && planLimits.get(resource) != null) {
                return planLimits.get(resource);
            }
        }
        Map<String, Long> defaults = quota.get(DEFAULT_PLAN);
        return defaults == null ? null : defaults.get(resource);
    }
}
