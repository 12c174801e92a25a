package io.qnsp.audit.streaming.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.qnsp.audit.events.AuditScopes;
import io.qnsp.audit.streaming.StreamSubscription;
import io.qnsp.audit.streaming.SubscriptionManagement;
import io.qnsp.audit.streaming.SubscriptionRequest;
import io.qnsp.audit.streaming.SubscriptionUpdate;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
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
    record SubscriptionBody(String subscriptionId, String name, String status, FiltersBody filters,
                            DestinationBody destination, Instant createdAt, Instant updatedAt) {

        static SubscriptionBody of(StreamSubscription subscription, @Nullable String generatedSecret) {
            SubscriptionRequest.Filters filters = subscription.filters();
            return new SubscriptionBody(subscription.subscriptionId(), subscription.name(),
                    subscription.status().label(),
                    new FiltersBody(filters.eventTypes(), filters.services(), filters.severities()),
                    new DestinationBody(subscription.destinationType().label(),
                            DestinationConfig.of(subscription.destinationConfig(), generatedSecret)),
                    subscription.createdAt(), subscription.updatedAt());
        }

        static SubscriptionBody of(StreamSubscription subscription) {
            return of(subscription, null);
        }
    }

    /** The validated filters; an empty list matches everything. */
    record FiltersBody(List<String> eventTypes, List<String> services, List<String> severities) {
    }

    /** @param type {@code webhook}, {@code kafka} or {@code sqs} */
    record DestinationBody(String type, DestinationConfig config) {
    }

    /**
     * A destination's settings as they may be shown back, those of its type only: webhook {@code url} and
     * {@code headers} (values masked); kafka {@code bootstrapServers} (comma-separated), {@code topic},
     * {@code clientId}; sqs {@code queueUrl}, {@code region}, {@code endpoint}, {@code accessKeyId},
     * {@code messageGroupId}. Secrets are never shown, except a webhook {@code secret} generated at creation, which
     * that answer carries once.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DestinationConfig(@Nullable String url, @Nullable Map<String, String> headers, @Nullable String secret,
                             @Nullable String bootstrapServers, @Nullable String topic, @Nullable String clientId,
                             @Nullable String queueUrl, @Nullable String region, @Nullable String endpoint,
                             @Nullable String accessKeyId, @Nullable String messageGroupId) {

        @SuppressWarnings("unchecked")
        static DestinationConfig of(Map<String, Object> shown, @Nullable String generatedSecret) {
            return new DestinationConfig(text(shown, "url"), (Map<String, String>) shown.get("headers"),
                    generatedSecret, text(shown, "bootstrapServers"), text(shown, "topic"), text(shown, "clientId"),
                    text(shown, "queueUrl"), text(shown, "region"), text(shown, "endpoint"),
                    text(shown, "accessKeyId"), text(shown, "messageGroupId"));
        }

        private static @Nullable String text(Map<String, Object> shown, String name) {
            Object value = shown.get(name);
            return value == null ? null : value.toString();
        }

        @Override
        public String toString() {
            // the generated toString would print a generated secret
            return "DestinationConfig[url=" + url + ", bootstrapServers=" + bootstrapServers + ", queueUrl="
                    + queueUrl + "]";
        }
    }

    record SubscriptionList(List<SubscriptionBody> subscriptions) {
    }

    @Operation(summary = "Create a streaming subscription", operationId = "createStreamingSubscription",
            description = "Events of the caller's tenant that match the filters are pushed to the destination "
                    + "(webhook, kafka or sqs). A webhook secret generated because none was given is returned once, "
                    + "in destination.config.secret.")
    @ApiResponse(responseCode = "201", description = "The subscription was created",
            headers = @Header(name = "Location", description = "The new subscription's URL",
                    schema = @Schema(type = "string", format = "uri")))
    @FailureResponse(status = 409, description = "The tenant has as many subscriptions as it may")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = AuditScopes.STREAM)
    ResponseEntity<SubscriptionBody> create(Caller caller, @RequestBody SubscriptionRequest request) {
        SubscriptionManagement.Created created = subscriptions.create(caller, request);
        StreamSubscription subscription = created.subscription();
        return ResponseEntity.created(URI.create("/v1/streaming/subscriptions/" + subscription.subscriptionId()))
                .body(SubscriptionBody.of(subscription, created.generatedSecret()));
    }

    @Operation(summary = "List the tenant's streaming subscriptions", operationId = "listStreamingSubscriptions",
            description = "Newest first.")
    @GetMapping
    @RequiredControls(scopes = AuditScopes.STREAM)
    SubscriptionList list(Caller caller) {
        return new SubscriptionList(subscriptions.list(caller).stream().map(SubscriptionBody::of).toList());
    }

    @Operation(summary = "Get one streaming subscription", operationId = "getStreamingSubscription")
    @GetMapping("/{subscriptionId}")
    @RequiredControls(scopes = AuditScopes.STREAM)
    SubscriptionBody get(Caller caller, @PathVariable String subscriptionId) {
        return SubscriptionBody.of(subscriptions.get(caller, subscriptionId));
    }

    @Operation(summary = "Change a subscription's name, filters or status (active, paused)",
            operationId = "updateStreamingSubscription",
            description = "A paused subscription gets no deliveries for the events stored while it is paused.")
    @PatchMapping("/{subscriptionId}")
    @RequiredControls(scopes = AuditScopes.STREAM)
    SubscriptionBody update(Caller caller, @PathVariable String subscriptionId,
                            @RequestBody SubscriptionUpdate update) {
        return SubscriptionBody.of(subscriptions.update(caller, subscriptionId, update));
    }

    @Operation(summary = "Delete a streaming subscription", operationId = "deleteStreamingSubscription",
            description = "Pending deliveries are dropped; open SSE streams of the subscription end within a "
                    + "heartbeat interval.")
    @DeleteMapping("/{subscriptionId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = AuditScopes.STREAM)
    void delete(Caller caller, @PathVariable String subscriptionId) {
        subscriptions.delete(caller, subscriptionId);
    }
}
