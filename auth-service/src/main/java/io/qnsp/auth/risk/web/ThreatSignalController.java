package io.qnsp.auth.risk.web;

import io.qnsp.auth.risk.InvalidRiskInput;
import io.qnsp.auth.risk.Severity;
import io.qnsp.auth.risk.SignalPage;
import io.qnsp.auth.risk.SignalReport;
import io.qnsp.auth.risk.SignalType;
import io.qnsp.auth.risk.SignalView;
import io.qnsp.auth.risk.ThreatSignalManagement;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import tools.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@Tag(name = "Risk-based authentication")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
@RequestMapping("/auth/risk")
class ThreatSignalController {

    /** {@code details} is a JSON object of at most 16 KiB, returned as sent. */
    record MetadataBody(@Nullable @Size(max = 100) String ipAddress, @Nullable @Size(max = 1000) String userAgent,
                        @Nullable JsonNode details) {
    }

    record SignalRequest(@NotBlank @Size(max = 200) String userId, @NotNull SignalType signalType,
                         @NotNull Severity severity, @Nullable @Valid MetadataBody metadata) {

        SignalReport report() {
            return new SignalReport(userId, signalType, severity, metadata == null ? null : metadata.ipAddress(),
                    metadata == null ? null : metadata.userAgent(), metadata == null ? null : metadata.details());
        }
    }

    record RecordedSignal(UUID signalId, Instant recordedAt) {
    }

    /** What was reported; {@code ipAddress} is erased once the retention for addresses has passed. */
    record MetadataView(@Nullable String ipAddress, @Nullable String userAgent, @Nullable JsonNode details) {
    }

    record SignalBody(UUID signalId, SignalType signalType, Severity severity, Instant recordedAt,
                      MetadataView metadata) {

        static SignalBody of(SignalView view) {
            return new SignalBody(view.signalId(), view.signalType(), view.severity(), view.recordedAt(),
                    new MetadataView(view.ipAddress(), view.userAgent(), view.details()));
        }
    }

    record SignalList(List<SignalBody> signals, long total) {
    }

    private final ThreatSignalManagement management;

    ThreatSignalController(ThreatSignalManagement management) {
        this.management = management;
    }

    @Operation(summary = "Report a threat signal for a user",
            description = "The signal raises the user's risk score in later evaluations, less as it ages."
                    + " Needs risk:write.", operationId = "reportThreatSignal")
    @PostMapping("/signals")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = RiskScopes.WRITE, audit = "auth.risk.signal.recorded", resourceType = "risk_signal",
            resourceId = "#result.signalId")
    RecordedSignal record(Caller caller, @Valid @RequestBody SignalRequest request) {
        SignalView view = management.record(caller, request.report());
        return new RecordedSignal(view.signalId(), view.recordedAt());
    }

    @Operation(summary = "A user's threat signals, newest first",
            description = "since is an ISO-8601 date-time (inclusive); limit 1–200 (default 50); total counts every"
                    + " matching signal. Needs risk:read.", operationId = "listUserThreatSignals")
    @GetMapping("/users/{userId}/signals")
    @RequiredControls(scopes = RiskScopes.READ, audit = "auth.risk.signals.read", resourceType = "user",
            resourceId = "#userId")
    SignalList list(Caller caller, @PathVariable @Size(max = 200) String userId,
                    @RequestParam(required = false) String since,
                    @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        SignalPage page = management.list(caller, userId, parseSince(since), limit);
        return new SignalList(page.signals().stream().map(SignalBody::of).toList(), page.total());
    }

    private static Instant parseSince(String since) {
        if (since == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(since).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidRiskInput("since",
                    "must be an ISO-8601 date-time with an offset, such as 2024-01-01T00:00:00Z");
        }
    }
}
