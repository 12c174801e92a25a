package io.qnsp.audit.webhook.web;

import io.qnsp.audit.webhook.DeletedWebhook;
import io.qnsp.audit.webhook.NewWebhook;
import io.qnsp.audit.webhook.TestDelivery;
import io.qnsp.audit.webhook.TestDeliveryResult;
import io.qnsp.audit.webhook.WebhookChanges;
import io.qnsp.audit.webhook.WebhookDelivery;
import io.qnsp.audit.webhook.WebhookDetails;
import io.qnsp.audit.webhook.WebhookManagement;
import io.qnsp.audit.webhook.WebhookScopes;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.envelope.Paged;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * DataHub webhooks (spec 003). Answers in the DataHub family; the scope check and the audit events come from the
 * controls, the tenant scoping from the caller.
 * <p>
 * Documented with the bearer JWT only: the platform admin token authenticates, but it has no tenant and webhooks
 * belong to one, so every operation refuses it (403).
 */
@Tag(name = "Webhooks")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
@RequestMapping("/api/v1/webhooks")
class WebhookController {

    private final WebhookManagement management;

    WebhookController(WebhookManagement management) {
        this.management = management;
    }

    @Operation(summary = "Create a webhook", operationId = "createWebhook",
            description = "The signing secret is in this answer only; one is generated when none is given.")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = WebhookScopes.WRITE, audit = "datahub.webhook.created", resourceType = "webhook",
            resourceId = "#result.id")
    WebhookDetails create(Caller caller, @RequestBody NewWebhook request) {
        return management.create(caller, request);
    }

    @Operation(summary = "List webhooks", operationId = "listWebhooks", description = "Newest first.")
    @GetMapping
    @RequiredControls(scopes = WebhookScopes.READ)
    Paged<WebhookDetails> list(Caller caller,
                               @RequestParam(required = false) Integer page,
                               @RequestParam(required = false) Integer pageSize) {
        return management.list(caller, page, pageSize);
    }

    @Operation(summary = "Get a webhook", operationId = "getWebhook")
    @GetMapping("/{id}")
    @RequiredControls(scopes = WebhookScopes.READ)
    WebhookDetails get(Caller caller, @PathVariable String id) {
        return management.get(caller, id);
    }

    @Operation(summary = "Update a webhook", operationId = "updateWebhook",
            description = "Fields left out are unchanged; given ones follow the rules of creation. secret sets a new "
                    + "signing secret, rotateSecret: true generates one; the answer then shows it.")
    @PutMapping("/{id}")
    @RequiredControls(scopes = WebhookScopes.WRITE, audit = "datahub.webhook.updated", resourceType = "webhook",
            resourceId = "#id")
    WebhookDetails update(Caller caller, @PathVariable String id, @RequestBody WebhookChanges changes) {
        return management.update(caller, id, changes);
    }

    @Operation(summary = "Delete a webhook", operationId = "deleteWebhook",
            description = "Its delivery history and pending deliveries go with it.")
    @DeleteMapping("/{id}")
    @RequiredControls(scopes = WebhookScopes.WRITE, audit = "datahub.webhook.deleted", resourceType = "webhook",
            resourceId = "#id")
    DeletedWebhook delete(Caller caller, @PathVariable String id) {
        return management.delete(caller, id);
    }

    @Operation(summary = "Send a test delivery", operationId = "testWebhook",
            description = "Sends one signed delivery now and answers how it went; a target answering an error is "
                    + "status failed, not an error of this API.")
    @PostMapping("/{id}/test")
    @RequiredControls(scopes = WebhookScopes.WRITE, audit = "datahub.webhook.tested", resourceType = "webhook",
            resourceId = "#id")
    TestDeliveryResult test(Caller caller, @PathVariable String id,
                            @RequestBody(required = false) TestDelivery request) {
        return management.test(caller, id, request);
    }

    @Operation(summary = "List a webhook's deliveries", operationId = "listWebhookDeliveries",
            description = "Newest first, each with its attempts.")
    @GetMapping("/{id}/deliveries")
    @RequiredControls(scopes = WebhookScopes.READ)
    Paged<WebhookDelivery> deliveries(Caller caller, @PathVariable String id,
                                      @RequestParam(required = false) Integer page,
                                      @RequestParam(required = false) Integer pageSize) {
        return management.deliveries(caller, id, page, pageSize);
    }
}
