package io.qnsp.ratelimit.usage.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.ratelimit.RateLimitSettings;
import io.qnsp.ratelimit.apikey.ApiKeyManagement;
import io.qnsp.ratelimit.usage.UsageMetrics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

// security as the platform documents it: the operator's X-Admin-Token, or a tenant administrator's JWT
@Tag(name = "Metrics")
@RestController
class UsageController {

    record MetricsResponse(UUID keyId, Instant from, Instant to, String granularity, long allowedCount,
                           long throttledCount, List<UsageMetrics.Point> timeSeries) {
    }

    /** A metrics query the service will not answer as asked. */
    static final class InvalidRange extends InvalidField {
        InvalidRange(String field, String problem) {
            super(field, problem);
        }
    }

    private final ApiKeyManagement keys;
    private final UsageMetrics metrics;
    private final RateLimitSettings settings;

    UsageController(ApiKeyManagement keys, UsageMetrics metrics, RateLimitSettings settings) {
        this.keys = keys;
        this.metrics = metrics;
        this.settings = settings;
    }

    @Operation(operationId = "getApiKeyMetrics", summary = "Allowed and throttled checks of a key over a range",
            description = "from and to are ISO-8601 date-times, from before to. granularity is minute or hour; "
                    + "by default minute for ranges up to 24 hours, hour beyond. The range is widened to whole "
                    + "steps and every step is listed.")
    @GetMapping("/v1/api-keys/{key}/metrics")
    @RequiredControls(admin = true)
    MetricsResponse metrics(Caller caller,
                            @Parameter(description = "The API key itself (RAT-…) or its keyId") @PathVariable String key,
                            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
                            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
                            @Parameter(schema = @Schema(allowableValues = {"minute", "hour"}))
                            @RequestParam(required = false) String granularity) {
        Instant start = from.toInstant();
        Instant end = to.toInstant();
        if (!start.isBefore(end)) {
            throw new InvalidRange("from", "must be before to");
        }
        Duration range = Duration.between(start, end);
        if (range.compareTo(settings.maxMetricsRange()) > 0) {
            throw new InvalidRange("to", "must be at most " + settings.maxMetricsRange().toDays()
                    + " days after from");
        }
        String step = granularity == null
                ? (range.compareTo(settings.maxMinuteSeriesRange()) <= 0 ? "minute" : "hour")
                : granularity;
        Duration stepLength = switch (step) {
            case "minute" -> Duration.ofMinutes(1);
            case "hour" -> Duration.ofHours(1);
            default -> throw new InvalidRange("granularity", "must be one of: minute, hour");
        };
        if (stepLength.equals(Duration.ofMinutes(1)) && range.compareTo(settings.maxMinuteSeriesRange()) > 0) {
            throw new InvalidRange("granularity", "minute is served for ranges up to "
                    + settings.maxMinuteSeriesRange().toHours() + " hours; use hour");
        }
        UUID keyId = keys.find(caller, key).keyId();
        UsageMetrics.Series series = metrics.series(keyId, start, end, stepLength);
        return new MetricsResponse(keyId, start, end, step, series.allowedCount(), series.throttledCount(),
                series.timeSeries());
    }
}
