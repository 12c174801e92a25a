package io.qnsp.kpi.query;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of KPI queries ({@code qnsp.kpi.query}).
 *
 * @param maxPoints         the most points one query may answer: a window and granularity that could give more are
 *                          refused (400 naming granularity)
 * @param defaultConfidence the confidence level of the intervals of averaged buckets when a query names none
 */
@Validated
@ConfigurationProperties("qnsp.kpi.query")
public record QuerySettings(@DefaultValue("10000") @Min(1) @Max(1000000) int maxPoints,
                           @DefaultValue("0.95") @DecimalMin("0.5") @DecimalMax("0.9999") double defaultConfidence) {
}
