package io.qnsp.common.web.testapp;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.qnsp.common.error.ApiException;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.Callers;
import io.qnsp.common.web.RequestIds;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** Endpoints that fail in every way the error handler must cover, and that show what the request knows. */
@RestController
class ProbeController {

    enum Algorithm {
        @JsonProperty("token_bucket") TOKEN_BUCKET,
        @JsonProperty("fixed_window") FIXED_WINDOW
    }

    record Limits(@NotNull Algorithm algorithm, @NotNull @Min(1) Integer burstCapacity,
                  @Nullable Integer tokensPerSecond) {
    }

    record Tag(@NotBlank String name) {
    }

    record CreateThing(@NotBlank String name, @Min(1) int cost, @NotNull @Valid Limits limits,
                       @Nullable List<@Valid Tag> tags) {
    }

    /** A domain failure as a service would declare it. */
    static class ThingExists extends ApiException {
        ThingExists(String id) {
            super(HttpStatus.CONFLICT, "thing_exists", "A thing with this name already exists", Map.of("thingId", id));
        }
    }

    @Operation(summary = "Create a thing", operationId = "createThing")
    @PostMapping("/probe/things")
    @ResponseStatus(HttpStatus.CREATED)
    CreateThing create(@Valid @RequestBody CreateThing thing) {
        return thing;
    }

    @Operation(summary = "Echo query parameters", operationId = "probeQuery")
    @GetMapping("/probe/query")
    Map<String, Object> query(@RequestParam @Min(1) int limit, @RequestParam(required = false) Algorithm algorithm) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("limit", limit);
        body.put("algorithm", algorithm);
        return body;
    }

    @Operation(summary = "Get a thing", operationId = "getThing")
    @GetMapping("/probe/things/{id}")
    Map<String, Object> thing(@PathVariable UUID id) {
        return Map.of("id", id.toString());
    }

    @Operation(summary = "Echo a header", operationId = "probeHeader")
    @GetMapping("/probe/header")
    Map<String, Object> header(@RequestHeader("X-Probe") String probe) {
        return Map.of("probe", probe);
    }

    @Operation(summary = "Fail with a domain conflict", operationId = "probeConflict")
    @FailureResponse(status = 409, description = "Always")
    @GetMapping("/probe/conflict")
    void conflict() {
        throw new ThingExists("thing-7");
    }

    @Operation(summary = "Fail with an unexpected exception", operationId = "probeBoom")
    @FailureResponse(status = 500, description = "Always: it stands for a bug")
    @FailureResponse(status = 405, description = "For any method but GET")
    @GetMapping("/probe/boom")
    void boom() {
        throw new IllegalStateException("connection to db failed, password=hunter2");
    }

    @Operation(summary = "Query a database that does not answer", operationId = "probeDatabaseAway")
    @FailureResponse(status = 503, description = "Always: nothing listens where the database should be")
    @FailureResponse(status = 405, description = "For any method but GET")
    @GetMapping("/probe/database-away")
    void databaseAway() {
        // a real driver failing to connect (port 1 has no listener), wrapped by Spring's data access layer
        new JdbcTemplate(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/away?connectTimeout=2", "app",
                "secret-password")).queryForObject("SELECT 1", Integer.class);
    }

    @Operation(summary = "Fail with a response status exception", operationId = "probeGone")
    @FailureResponse(status = 410, description = "Always")
    @GetMapping("/probe/teapot")
    void teapot() {
        throw new ResponseStatusException(HttpStatus.GONE, "This thing is gone");
    }

    @Operation(summary = "Fail with access denied", operationId = "probeForbidden")
    @FailureResponse(status = 401, description = "Without credentials")
    @FailureResponse(status = 403, description = "With credentials")
    @GetMapping("/probe/forbidden")
    void forbidden() {
        throw new AccessDeniedException("internal rule 42 said no");
    }

    @Operation(summary = "Fail with missing credentials", operationId = "probeUnauthenticated")
    @FailureResponse(status = 401, description = "Always")
    @GetMapping("/probe/unauthenticated")
    void unauthenticated() {
        throw new AuthenticationCredentialsNotFoundException("no credentials in internal store");
    }

    @Operation(summary = "Show the request id the logs carry", operationId = "probeRequestId")
    @GetMapping("/probe/request-id")
    Map<String, Object> requestId() {
        return Map.of("mdc", String.valueOf(RequestIds.current()));
    }

    @Operation(summary = "Count the characters of a text", operationId = "probeText")
    @PostMapping(value = "/probe/text", consumes = "text/plain")
    Map<String, Object> text(@RequestBody String body) {
        return Map.of("length", body.length());
    }

    @Operation(summary = "Count the characters of an upload", operationId = "probeUpload")
    @PostMapping(value = "/probe/uploads/{name}", consumes = "text/plain")
    Map<String, Object> upload(@PathVariable String name, @RequestBody String body) {
        return Map.of("length", body.length());
    }

    @Operation(summary = "Show the caller on a public path", operationId = "probeCaller")
    @FailureResponse(status = 401, description = "Without credentials")
    @GetMapping("/probe/caller")
    Caller publicCaller(Caller caller) {
        return caller;
    }

    /** Answered on an async dispatch, as streams and deferred results are: authentication must survive it. */
    @Operation(summary = "Show the caller from an async dispatch", operationId = "asyncCaller")
    @GetMapping(value = "/secure/async-caller", produces = MediaType.TEXT_PLAIN_VALUE)
    Callable<String> asyncCaller(Caller caller) {
        return () -> caller.principal();
    }

    @Operation(summary = "Show the caller", operationId = "secureCaller")
    @GetMapping("/secure/caller")
    Map<String, Object> caller(Caller caller) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", caller.tenantId());
        body.put("principal", caller.principal());
        body.put("scopes", caller.scopes().stream().sorted().toList());
        body.put("roles", caller.roles().stream().sorted().toList());
        body.put("addOns", caller.addOns().stream().sorted().toList());
        body.put("plan", caller.plan());
        body.put("sameAsCallersCurrent", Callers.current().orElse(null) == null ? false
                : Callers.current().get().equals(caller));
        return body;
    }
}
