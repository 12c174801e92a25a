package io.qnsp.billing.dunning;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Settings of dunning.
 *
 * @param interval        how often due dunning steps are executed
 * @param defaultSchedule the schedule of a tenant the operator configured none for
 */
@Validated
@ConfigurationProperties("qnsp.billing.dunning")
public record DunningSettings(@DefaultValue("1m") Duration interval,
                              @DefaultValue List<DunningStep> defaultSchedule) {

    public DunningSettings {
        DunningSchedules.check(defaultSchedule, "qnsp.billing.dunning.default-schedule").throwIfAny();
    }
}
