package io.qnsp.audit.webhook;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the DataHub webhook API.
 *
 * @param defaultPageSize items per page when a list names no {@code pageSize}
 * @param maxPageSize     the largest {@code pageSize} a list accepts
 */
@Validated
@ConfigurationProperties("qnsp.audit.webhooks")
public record WebhookSettings(@DefaultValue("20") @Min(1) @Max(1000) int defaultPageSize,
                              @DefaultValue("100") @Min(1) @Max(1000) int maxPageSize) {
}
