package io.qnsp.gateway.health;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** The DataHub health endpoints (spec 003), open without credentials. */
@RestController
class HealthController {

    private final ReadinessChecks checks;

    HealthController(ReadinessChecks checks) {
        this.checks = checks;
    }

    @GetMapping("/health")
    Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "healthy");
        body.put("timestamp", now());
        return body;
    }

    @GetMapping("/health/ready")
    Mono<ResponseEntity<Map<String, Object>>> ready() {
        return checks.check().map(states -> {
            boolean ready = ReadinessChecks.ready(states);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? "ready" : "not_ready");
            body.put("checks", states);
            body.put("timestamp", now());
            return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
        });
    }

    @GetMapping("/health/live")
    Map<String, Object> live() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "alive");
        body.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        body.put("timestamp", now());
        return body;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
