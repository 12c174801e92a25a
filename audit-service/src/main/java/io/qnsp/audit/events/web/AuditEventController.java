package io.qnsp.audit.events.web;

import io.qnsp.audit.events.AuditEventPage;
import io.qnsp.audit.events.AuditEventQueries;
import io.qnsp.audit.events.AuditScopes;
import io.qnsp.audit.events.StoredAuditEvent;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Queries the stored audit events of the caller's tenant (reached as {@code /audit/v1/events} at the gateway). */
@Tag(name = "Audit events")
@RestController
@RequestMapping("/v1/events")
class AuditEventController {

    private final AuditEventQueries queries;

    AuditEventController(AuditEventQueries queries) {
        this.queries = queries;
    }

    @Operation(summary = "List audit events", operationId = "listAuditEvents",
            description = "Newest first; since inclusive, until exclusive; pass nextCursor as cursor for the "
                    + "next page.")
    @GetMapping
    @RequiredControls(scopes = AuditScopes.READ)
    AuditEventPage list(Caller caller,
                        @RequestParam(required = false) String eventType,
                        @RequestParam(required = false) String service,
                        @RequestParam(required = false) String severity,
                        @RequestParam(required = false) String resourceId,
                        @RequestParam(required = false) String since,
                        @RequestParam(required = false) String until,
                        @RequestParam(required = false) Integer limit,
                        @RequestParam(required = false) String cursor) {
        return queries.list(caller, eventType, service, severity, resourceId, since, until, limit, cursor);
    }

    @Operation(summary = "Get one audit event", operationId = "getAuditEvent")
    @GetMapping("/{eventId}")
    @RequiredControls(scopes = AuditScopes.READ)
    StoredAuditEvent get(Caller caller, @PathVariable String eventId) {
        return queries.get(caller, eventId);
    }
}
