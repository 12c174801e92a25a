package io.qnsp.audit.streaming.web;

import io.qnsp.audit.events.AuditScopes;
import io.qnsp.audit.streaming.LiveStreams;
import io.qnsp.audit.streaming.StreamingMetrics;
import io.qnsp.audit.streaming.SubscriptionManagement;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The live SSE stream of audit events and the streaming metrics of the caller's tenant. */
@Tag(name = "Audit streaming")
@RestController
@RequestMapping("/v1/streaming")
class StreamController {

    private final LiveStreams streams;
    private final StreamingMetrics metrics;
    private final SubscriptionManagement subscriptions;

    StreamController(LiveStreams streams, StreamingMetrics metrics, SubscriptionManagement subscriptions) {
        this.streams = streams;
        this.metrics = metrics;
        this.subscriptions = subscriptions;
    }

    @Operation(summary = "Stream audit events (Server-Sent Events)", operationId = "streamAuditEvents",
            description = "Each event is sent as 'event: audit_event', 'id: <sequence>', 'data: <event JSON>'. "
                    + "Reconnect with the Last-Event-ID header (or lastEventId) to resume after the last event "
                    + "received; without it the stream starts with the events stored from now on. With "
                    + "subscriptionId, that subscription's filters apply. Refusals come before the stream starts, "
                    + "as JSON errors.")
    @ApiResponse(responseCode = "200", description = "The stream: a comment line on opening and at every heartbeat, "
            + "then an audit_event per stored event, with its sequence as id",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                    schema = @Schema(type = "string", description = "Server-Sent Events (text/event-stream)")))
    @FailureResponse(status = 404, description = "subscriptionId names no subscription of the caller")
    @GetMapping(value = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @RequiredControls(scopes = AuditScopes.STREAM)
    SseEmitter events(Caller caller,
                      @RequestParam(required = false) String subscriptionId,
                      @RequestParam(required = false) String lastEventId,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader) {
        return streams.open(caller, subscriptionId, lastEventIdHeader, lastEventId);
    }

    @Operation(summary = "Streaming metrics of the tenant", operationId = "getStreamingMetrics")
    @GetMapping("/metrics")
    @RequiredControls(scopes = AuditScopes.STREAM)
    StreamingMetrics.Snapshot metrics(Caller caller) {
        return metrics.of(caller, subscriptions.list(caller));
    }
}
