package io.qnsp.search.health;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of maintenance windows.
 *
 * @param pollInterval how often due windows are looked for
 * @param maxDuration  the longest window that may be scheduled; a window's work is cancelled when it overruns
 */
@ConfigurationProperties("qnsp.search.maintenance")
public record MaintenanceSettings(@DefaultValue("10s") Duration pollInterval, @DefaultValue("6h") Duration maxDuration) {
}
