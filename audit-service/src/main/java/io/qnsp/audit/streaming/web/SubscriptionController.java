package io.qnsp.audit.streaming.web;

import io.qnsp.audit.events.AuditScopes;
import io.qnsp.audit.streaming.StreamSubscription;
import io.qnsp.audit.streaming.SubscriptionManagement;
import io.qnsp.audit.streaming.SubscriptionRequest;
import io.qnsp.audit.streaming.SubscriptionUpdate;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The caller's streaming subscriptions (reached as {@code /audit/v1/streaming/subscriptions} at the gateway). */
@Tag(name = "Audit streaming")
@RestController
@RequestMapping("/v1/streaming/subscriptions")
class SubscriptionController {

    private final SubscriptionManagement subscriptions;

    SubscriptionController(SubscriptionManagement subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** A subscription as the API shows it. */
    record SubscriptionBody(String subscriptionId, String name, String status, SubscriptionRequest.Filters filters,
                            DestinationBody destination, Instant createdAt, Instant updatedAt) {

        static SubscriptionBody of(StreamSubscription subscription, Map<String, Object> config) {
            return new SubscriptionBody(subscription.subscriptionId(), subscription.name(),
                    subscription.status().label(), subscription.filters(),
                    new DestinationBody(subscription.destinationType().label(), config), subscription.createdAt(),
                    subscription.updatedAt());
        }

        static SubscriptionBody of(StreamSubscription subscription) {
            return of(subscription, subscription.destinationConfig());
        }
    }

    record DestinationBody(String type, Map<String, Object> config) {
    }

    record SubscriptionList(List<SubscriptionBody> subscriptions) {
    }

    @Operation(summary = "Create a streaming subscription", description = "Events of the caller's tenant that match "
            + "the filters are pushed to the destination (webhook, kafka or sqs). A webhook secret generated "
            + "because none was given is returned once, in destination.config.secret.")
    @PostMapping
    @RequiredControls(scopes = AuditScopes.STREAM)
    ResponseEntity<SubscriptionBody> create(Caller caller, @RequestBody SubscriptionRequest request) {
        SubscriptionManagement.Created created = subscriptions.create(caller, request);
        StreamSubscription subscription = created.subscription();
        Map<String, Object> config = new LinkedHashMap<>(subscription.destinationConfig());
        if (created.generatedSecret() != null) {
            config.put("secret", created.generatedSecret());
        }
        return ResponseEntity.created(URI.create("/v1/streaming/subscriptions/" + subscription.subscriptionId()))
                .body(SubscriptionBody.of(subscription, config));
    }

    @Operation(summary = "List the tenant's streaming subscriptions", description = "Newest first.")
    @GetMapping
    @RequiredControls(scopes = AuditScopes.STREAM)
    SubscriptionList list(Caller caller) {
        return new SubscriptionList(subscriptions.list(caller).stream().map(SubscriptionBody::of).toList());
    }

    @Operation(summary = "Get one streaming subscription")
    @GetMapping("/{subscriptionId}")
    @RequiredControls(scopes = AuditScopes.STREAM)
    SubscriptionBody get(Caller caller, @PathVariable String subscriptionId) {
        return SubscriptionBody.of(subscriptions.get(caller, subscriptionId));
    }

    @Operation(summary = "Change a subscription's name, filters or status (active, paused)",
            description = "A paused subscription gets no deliveries for the events stored while it is paused.")
    @PatchMapping("/{subscriptionId}")
    @RequiredControls(scopes = AuditScopes.STREAM)
    SubscriptionBody update(Caller caller, @PathVariable String subscriptionId,
                            @RequestBody SubscriptionUpdate update) {
        return SubscriptionBody.of(subscriptions.update(caller, subscriptionId, update));
    }

    @Operation(summary = "Delete a streaming subscription", description = "Pending deliveries are dropped; open SSE "
            + "streams of the subscription end within a heartbeat interval.")
    @DeleteMapping("/{subscriptionId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = AuditScopes.STREAM)
    void delete(Caller caller, @PathVariable String subscriptionId) {
        subscriptions.delete(caller, subscriptionId);
    }
}
