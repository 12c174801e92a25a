package io.qnsp.kpi.series;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ingest API ({@code qnsp.kpi.ingest}).
 *
 * @param maxSamples the most samples one request may carry
 */
@Validated
@ConfigurationProperties("qnsp.kpi.ingest")
public record IngestSettings(@DefaultValue("10000") @Min(1) @Max(100000) int maxSamples) {
}
