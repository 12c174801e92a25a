package io.qnsp.access.simulation;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * Settings of impact analysis.
 *
 * @param maxKnownRequests the most distinct requests one analysis replays (from the decision log first, then those
 *                         the policies name); beyond it the analysis says so in a warning
 * @param adminGroups      groups whose members count as administrators: a change revoking their access is warned of
 */
@Validated
@ConfigurationProperties("qnsp.access.impact")
public record ImpactSettings(@DefaultValue("100000") @Min(1) int maxKnownRequests,
                             @DefaultValue({"admin", "admins", "administrators", "platform_admin"})
                             List<String> adminGroups) {
}
