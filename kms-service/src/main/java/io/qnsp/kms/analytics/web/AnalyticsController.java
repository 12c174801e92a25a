package io.qnsp.kms.analytics.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.security.Caller;
import io.qnsp.kms.KmsScopes;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kms.analytics.Granularity;
import io.qnsp.kms.analytics.OperationCounts;
import io.qnsp.kms.analytics.RecordedUsage;
import io.qnsp.kms.analytics.TimeRange;
import io.qnsp.kms.analytics.UsageAnalytics;
import io.qnsp.kms.analytics.UsageQuery;
import io.qnsp.kms.key.KeyAlgorithm;
import io.qnsp.kms.usage.OperationType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.qnsp.common.openapi.FailureResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Key usage analytics, every figure computed from the operation log: usage over time, the applications using keys,
 * one key's summary, and the uses applications report themselves. Reading needs {@code kms:read}, reporting
 * {@code kms:write}.
 */
@Tag(name = "Key usage analytics")
@RestController
@RequestMapping("/kms/v1/analytics")
class AnalyticsController {

    private static final String START = "ISO 8601 date-time with an offset; operations at or after it are counted";
    private static final String END = "ISO 8601 date-time with an offset; operations before it are counted (now by "
            + "default)";

    record UsageItem(@Schema(description = "the start of the bucket (UTC)") Instant timestamp, UUID keyId,
                     OperationType operation,
                     @Schema(description = "operations attempted, failed ones included") long count,
                     @Schema(description = "bytes given to the successful operations") long bytesProcessed,
                     @Schema(description = "operations that failed") long errorCount) {
    }

    record UsageSummary(long totalOperations, long totalBytesProcessed, long totalErrors, long uniqueKeys) {
    }

    record UsageResponse(@Schema(description = "one entry per bucket, key and operation with any operation, "
            + "oldest first") List<UsageItem> usage, UsageSummary summary, Granularity granularity,
                         Instant startTime, Instant endTime) {
    }

    record ApplicationView(String applicationId,
                           @Schema(description = "the name given when the application recorded usage, otherwise its "
                                   + "id") String applicationName,
                           long keysUsed, Instant lastAccessAt, OperationCounts operationCounts,
                           long bytesProcessed, long errorCount) {
    }

    record ApplicationList(List<ApplicationView> applications) {
    }

    record TopApplication(String applicationId, long count) {
    }

    record KeyUsageSummary(UUID keyId, String keyName, KeyAlgorithm algorithm, long totalOperations,
                           long totalBytesProcessed, long errorCount, OperationCounts operationBreakdown,
                           @Schema(description = "at most 5, the most operations first")
                           List<TopApplication> topApplications, @Nullable Instant lastUsedAt) {
    }

    record RecordUsageRequest(@Schema(description = "the application that used the key, up to 128 characters")
                              @Nullable String applicationId,
                              @Schema(description = "a display name for the application in the reports")
                              @Nullable String applicationName,
                              @Nullable String keyId,
                              @Schema(description = "encrypt, decrypt, sign, verify, encapsulate, decapsulate or "
                                      + "generate_data_key") @Nullable String operation,
                              @Schema(description = "0 when left out") @Nullable Long bytesProcessed) {
    }

    record RecordUsageResponse(boolean recorded, Instant timestamp) {
    }

    private final UsageAnalytics analytics;

    AnalyticsController(UsageAnalytics analytics) {
        this.analytics = analytics;
    }

    @Operation(summary = "Query key usage over time", operationId = "getKeyUsage",
            description = "Operations counted per hour, day or week (UTC buckets), per key and operation, with the "
                    + "period's totals. The period defaults to the 30 days before endTime and spans at most 366 "
                    + "days. Needs kms:read.")
    @FailureResponse(status = 404, description = "The key named is not one of the tenant's")
    @GetMapping("/usage")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.analytics.usage_queried", resourceType = "key_usage")
    UsageResponse usage(Caller caller,
                        @Parameter(description = "only this key's operations") @RequestParam(required = false)
                        @Nullable String keyId,
                        @Parameter(description = "only operations of this type, e.g. encrypt")
                        @RequestParam(required = false) @Nullable String operation,
                        @Parameter(description = START) @RequestParam(required = false) @Nullable String startTime,
                        @Parameter(description = END) @RequestParam(required = false) @Nullable String endTime,
                        @Parameter(description = "hour, day (the default) or week") @RequestParam(required = false)
                        @Nullable String granularity) {
        String tenant = TenantRequired.tenantOf(caller);
        UsageQuery query = UsageQuery.of(keyId, operation, startTime, endTime, granularity, analytics.now());
        UsageAnalytics.Usage usage = analytics.usage(tenant, query);
        return new UsageResponse(usage.buckets().stream().map(b -> new UsageItem(b.timestamp(), b.keyId(),
                b.operation(), b.count(), b.bytesProcessed(), b.errorCount())).toList(),
                new UsageSummary(usage.totals().operations(), usage.totals().bytesProcessed(),
                        usage.totals().errors(), usage.totals().uniqueKeys()),
                query.granularity(), query.range().start(), query.range().end());
    }

    @Operation(summary = "List the applications using keys", operationId = "listKeyApplications",
            description = "Every application that used one of the tenant's keys in the period: through the service "
                    + "(the caller's identity) or by recording its usage. The most recently active first. Needs "
                    + "kms:read.")
    @GetMapping("/applications")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.analytics.applications_listed",
            resourceType = "key_usage")
    ApplicationList applications(Caller caller,
                                 @Parameter(description = START + "; from the beginning by default")
                                 @RequestParam(required = false) @Nullable String startTime,
                                 @Parameter(description = END) @RequestParam(required = false)
                                 @Nullable String endTime) {
        String tenant = TenantRequired.tenantOf(caller);
        TimeRange range = analytics.range(startTime, endTime);
        return new ApplicationList(analytics.applications(tenant, range).stream()
                .map(a -> new ApplicationView(a.applicationId(), a.applicationName(), a.keysUsed(),
                        a.lastAccessAt(), a.operationCounts(), a.bytesProcessed(), a.errorCount()))
                .toList());
    }

    @Operation(summary = "Get a key's usage summary", operationId = "getKeyUsageSummary",
            description = "The key's operations by type, its top applications and when it was last used; every "
                    + "operation by default, or those of a period. Needs kms:read.")
    @GetMapping("/keys/{keyId}/summary")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.analytics.key_summary_read", resourceType = "key",
            resourceId = "#keyId")
    KeyUsageSummary keySummary(Caller caller, @PathVariable String keyId,
                               @Parameter(description = START + "; from the beginning by default")
                               @RequestParam(required = false) @Nullable String startTime,
                               @Parameter(description = END) @RequestParam(required = false)
                               @Nullable String endTime) {
        String tenant = TenantRequired.tenantOf(caller);
        TimeRange range = analytics.range(startTime, endTime);
        UsageAnalytics.KeySummary summary = analytics.keySummary(tenant, keyId, range);
        return new KeyUsageSummary(summary.key().keyId(), summary.key().name(), summary.key().algorithm(),
                summary.totalOperations(), summary.totalBytesProcessed(), summary.errorCount(),
                summary.operationBreakdown(), summary.topApplications().stream()
                .map(a -> new TopApplication(a.applicationId(), a.count())).toList(), summary.lastUsedAt());
    }

    @Operation(summary = "Record an application's usage of a key", operationId = "recordKeyUsage",
            description = "For uses the service does not see (e.g. data encrypted under a data key): counted in "
                    + "every report like an operation of the service, as a success at the time it is received. "
                    + "Needs kms:write.")
    @FailureResponse(status = 404, description = "The key is not one of the tenant's")
    @PostMapping("/applications/record")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.analytics.usage_recorded", resourceType = "key",
            resourceId = "#request.keyId")
    RecordUsageResponse record(Caller caller, @RequestBody RecordUsageRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        RecordedUsage usage = RecordedUsage.of(request.applicationId(), request.applicationName(), request.keyId(),
                request.operation(), request.bytesProcessed());
        return new RecordUsageResponse(true, analytics.record(tenant, usage));
    }
}
