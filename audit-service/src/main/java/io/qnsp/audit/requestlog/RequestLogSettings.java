package io.qnsp.audit.requestlog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the DataHub request-log queries.
 *
 * @param defaultPageSize    items per page when a list names no {@code pageSize}
 * @param maxPageSize        the largest {@code pageSize} a list accepts
 * @param maxTimeSeriesPoints the most time-series points one stats answer carries; a wider range at a finer period is
 *                           refused with a 400 naming {@code period}
 */
@Validated
@ConfigurationProperties("qnsp.audit.request-logs")
public record RequestLogSettings(@DefaultValue("20") @Min(1) @Max(1000) int defaultPageSize,
                                 @DefaultValue("100") @Min(1) @Max(1000) int maxPageSize,
                                 @DefaultValue("2000") @Min(1) @Max(100_000) int maxTimeSeriesPoints) {
}
