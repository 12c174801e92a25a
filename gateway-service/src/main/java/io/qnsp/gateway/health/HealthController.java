package io.qnsp.gateway.health;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** The DataHub health endpoints (spec 003), open without credentials. */
@Tag(name = "Health")
@RestController
class HealthController {

    record Health(@Schema(allowableValues = "healthy") String status, Instant timestamp) {
    }

    record Readiness(@Schema(allowableValues = {"ready", "not_ready"}) String status,
                     @Schema(description = "redis: connected or disconnected; each required service by route id: "
                             + "up or down") Map<String, String> checks,
                     Instant timestamp) {
    }

    record Services(@Schema(allowableValues = {"up", "degraded"}) String status,
                    @Schema(description = "each service the gateway routes to, by name: up or down")
                    Map<String, String> services,
                    Instant timestamp) {
    }

    record Liveness(@Schema(allowableValues = "alive") String status,
                    @Schema(description = "Seconds since the gateway started") long uptime, Instant timestamp) {
    }

    private final ReadinessChecks checks;

    HealthController(ReadinessChecks checks) {
        this.checks = checks;
    }

    @Operation(operationId = "getHealth", summary = "Whether the gateway is up")
    @GetMapping("/health")
    Health health() {
        return new Health("healthy", now());
    }

    @Operation(operationId = "getReadiness", summary = "Whether the gateway and its dependencies are ready",
            description = "503 while Redis or a required service (qnsp.gateway.readiness.services) is not.")
    @ApiResponse(responseCode = "200", description = "Redis and every required service are ready",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = Readiness.class)))
    // the same body as 200, not an error body
    @ApiResponse(responseCode = "503", description = "Redis or a required service is not ready; checks tell which",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = Readiness.class)))
    @GetMapping("/health/ready")
    Mono<ResponseEntity<Readiness>> ready() {
        return checks.check().map(states -> {
            boolean ready = ReadinessChecks.ready(states);
            return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new Readiness(ready ? "ready" : "not_ready", states, now()));
        });
    }

    @Operation(operationId = "getServicesHealth", summary = "The readiness of every service the gateway routes to",
            description = "Each service (the routes to one address) is asked for its readiness probe, as /health/ready "
                    + "asks the required ones; degraded when any is down. Informational: always 200.")
    @GetMapping("/health/services")
    Mono<Services> services() {
        return checks.everyService().map(states -> new Services(
                states.values().stream().allMatch(ReadinessChecks.UP::equals) ? "up" : "degraded", states, now()));
    }

    @Operation(operationId = "getLiveness", summary = "Whether the gateway is alive, with its uptime")
    @GetMapping("/health/live")
    Liveness live() {
        return new Liveness("alive", ManagementFactory.getRuntimeMXBean().getUptime() / 1000, now());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
