package io.qnsp.audit.webhook;

import io.qnsp.audit.delivery.Deliveries;
import io.qnsp.audit.delivery.DeliveryAttempt;
import io.qnsp.audit.delivery.DeliveryRecord;
import io.qnsp.audit.delivery.DeliveryStatus;
import io.qnsp.audit.delivery.DestinationSecrets;
import io.qnsp.audit.delivery.WebhookSignature;
import io.qnsp.common.envelope.Paged;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.ids.Ulids;
import io.qnsp.common.security.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Creates, lists, changes, deletes and tests a tenant's DataHub webhooks, and shows their delivery history. Every
 * operation is scoped by the caller's tenant: another tenant's webhook is {@link WebhookNotFound}. The signing
 * secret is sealed before it is stored and shown only in the answer that set it.
 */
@Service
public class WebhookManagement {

    static final String PREFIX = "whk_";
    static final int MAX_PAGE = 1_000_000;
    static final int MAX_TEST_PAYLOAD_BYTES = 64 * 1024;

    private static final Pattern ID_FORMAT = Ulids.format(PREFIX);

    private final Webhooks webhooks;
    private final WebhookRules rules;
    private final WebhookDestinations destinations;
    private final DestinationSecrets secrets;
    private final Deliveries deliveries;
    private final WebhookSettings settings;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    WebhookManagement(Webhooks webhooks, WebhookRules rules, WebhookDestinations destinations,
                      DestinationSecrets secrets, Deliveries deliveries, WebhookSettings settings, JsonMapper json) {
        this.webhooks = webhooks;
        this.rules = rules;
        this.destinations = destinations;
        this.secrets = secrets;
        this.deliveries = deliveries;
        this.settings = settings;
        this.json = json;
    }

    /** Creates a webhook of the caller's tenant; the answer carries its secret, the only time it is shown. */
    @Transactional
    public WebhookDetails create(Caller caller, NewWebhook request) {
        String tenantId = tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = rules.name(request.name(), true, problems);
        String url = rules.url(request.url(), true, problems);
        List<String> events = rules.events(request.events(), true, problems);
        String given = rules.secret(request.secret(), problems);
        Map<String, String> headers = rules.headers(request.headers(), problems);
        problems.throwIfAny();

        String secret = given != null ? given : WebhookSignature.newSecret();
        Instant now = now();
        Webhook webhook = new Webhook(Ulids.next(PREFIX, now), tenantId, name, url, events, headers,
                request.active() == null || request.active(), caller.principal(), now, now);
        webhooks.insert(webhook, secrets.seal(secret));
        return WebhookDetails.of(webhook, secret);
    }

    @Transactional(readOnly = true)
    public Paged<WebhookDetails> list(Caller caller, Integer page, Integer pageSize) {
        String tenantId = tenantOf(caller);
        int number = page(page);
        int size = pageSize(pageSize);
        long total = webhooks.count(tenantId);
        List<Webhook> items = offset(number, size) >= total ? List.of()
                : webhooks.page(tenantId, (int) offset(number, size), size);
        return Paged.of(items.stream().map(webhook -> WebhookDetails.of(webhook, null)).toList(), number, size,
                total);
    }

    @Transactional(readOnly = true)
    public WebhookDetails get(Caller caller, String id) {
        return WebhookDetails.of(owned(caller, id), null);
    }

    /** Applies the changes given, each validated as at creation; shows the secret only when it changed. */
    @Transactional
    public WebhookDetails update(Caller caller, String id, WebhookChanges changes) {
        String tenantId = tenantOf(caller);
        Webhook webhook = webhooks.findForUpdate(tenantId, knownFormat(id)).orElseThrow(WebhookNotFound::new);
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = rules.name(changes.name(), false, problems);
        String url = rules.url(changes.url(), false, problems);
        List<String> events = rules.events(changes.events(), false, problems);
        Map<String, String> headers = rules.headers(changes.headers(), problems);
        String given = rules.secret(changes.secret(), problems);
        if (given != null && Boolean.TRUE.equals(changes.rotateSecret())) {
            problems.add("rotateSecret", "cannot be true when a secret is given");
        }
        problems.throwIfAny();

        String secret = given != null ? given
                : Boolean.TRUE.equals(changes.rotateSecret()) ? WebhookSignature.newSecret() : null;
        Webhook changed = new Webhook(webhook.id(), webhook.tenantId(),
                name != null ? name : webhook.name(),
                url != null ? url : webhook.url(),
                events != null ? events : webhook.events(),
                headers != null ? headers : webhook.headers(),
                changes.active() != null ? changes.active() : webhook.active(),
                webhook.createdBy(), webhook.createdAt(), now());
        webhooks.update(changed, secret == null ? null : secrets.seal(secret));
        return WebhookDetails.of(changed, secret);
    }

    /** Deletes the webhook and its delivery history; its pending deliveries are never sent. */
    @Transactional
    public DeletedWebhook delete(Caller caller, String id) {
        String tenantId = tenantOf(caller);
        String webhookId = knownFormat(id);
        if (!webhooks.delete(tenantId, webhookId)) {
            throw new WebhookNotFound();
        }
        deliveries.deleteAll(WebhookDestinations.KIND, webhookId);
        return new DeletedWebhook(webhookId, DeletedWebhook.DELETED, now());
    }

    /**
     * Sends one signed delivery to the webhook now (whether or not it is active) and answers how it went; it is
     * kept in the delivery history and not retried.
     */
    public TestDeliveryResult test(Caller caller, String id, TestDelivery request) {
        String tenantId = tenantOf(caller);
        String webhookId = owned(caller, id).id();
        String event = request == null || request.event() == null ? WebhookEvents.TEST_PING : request.event();
        JsonNode data = request == null || request.payload() == null || request.payload().isNull()
                ? json.createObjectNode().put("test", true) : request.payload();
        InvalidField.Problems problems = new InvalidField.Problems();
        if (!WebhookEvents.isTestable(event)) {
            problems.add("event", "must be " + WebhookEvents.TEST_PING + " or an event of the catalogue");
        }
        if (!data.isObject()) {
            problems.add("payload", "must be a JSON object");
        }
        String payload = json.writeValueAsString(new WebhookPayload(event, now(), data));
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_TEST_PAYLOAD_BYTES) {
            problems.add("payload", "must be at most " + MAX_TEST_PAYLOAD_BYTES + " bytes as JSON");
        }
        problems.throwIfAny();

        // the secret is read now rather than with the webhook: a test right after a rotation signs with the new one
        Webhooks.Target target = webhooks.targetOf(tenantId, webhookId).orElseThrow(WebhookNotFound::new);
        DeliveryRecord sent = deliveries.sendNow(tenantId, destinations, webhookId, destinations.destination(target),
                event, payload);
        return new TestDeliveryResult(sent.deliveryId(), sent.status().label(), sent.statusCode(), sent.durationMs(),
                sent.error());
    }

    /** The webhook's deliveries, newest first, each with its attempts. */
    @Transactional(readOnly = true)
    public Paged<WebhookDelivery> deliveries(Caller caller, String id, Integer page, Integer pageSize) {
        String webhookId = owned(caller, id).id();
        int number = page(page);
        int size = pageSize(pageSize);
        long total = deliveries.count(WebhookDestinations.KIND, webhookId);
        List<DeliveryRecord> records = offset(number, size) >= total ? List.of()
                : deliveries.page(WebhookDestinations.KIND, webhookId, (int) offset(number, size), size);
        Map<String, List<DeliveryAttempt>> attempts = deliveries.attempts(
                records.stream().map(DeliveryRecord::deliveryId).toList());
        return Paged.of(records.stream().map(record -> view(record,
                attempts.getOrDefault(record.deliveryId(), List.of()))).toList(), number, size, total);
    }

    private static WebhookDelivery view(DeliveryRecord record, List<DeliveryAttempt> attempts) {
        return new WebhookDelivery(record.deliveryId(), record.eventType(), record.eventId(), record.status().label(),
                record.attempts(), record.statusCode(), record.durationMs(), record.error(), record.createdAt(),
                record.nextAttemptAt(), record.completedAt(),
                attempts.stream().map(attempt -> new WebhookDelivery.Attempt(attempt.attempt(),
                        (attempt.succeeded() ? DeliveryStatus.SUCCESS : DeliveryStatus.FAILED).label(),
                        attempt.statusCode(), attempt.durationMs(), attempt.error(), attempt.attemptedAt()))
                        .toList());
    }

    private Webhook owned(Caller caller, String id) {
        return webhooks.find(tenantOf(caller), knownFormat(id)).orElseThrow(WebhookNotFound::new);
    }

    /** The id, when it could be one of ours at all; anything else is not found without a query. */
    private static String knownFormat(String id) {
        if (id == null || !ID_FORMAT.matcher(id).matches()) {
            throw new WebhookNotFound();
        }
        return id;
    }

    private static String tenantOf(Caller caller) {
        if (caller.tenantId() == null || caller.tenantId().isBlank()) {
            throw new TenantRequired();
        }
        return caller.tenantId();
    }

    private static int page(Integer page) {
        int number = page == null ? 1 : page;
        if (number < 1 || number > MAX_PAGE) {
            throw new InvalidField("page", "must be between 1 and " + MAX_PAGE);
        }
        return number;
    }

    private int pageSize(Integer pageSize) {
        int size = pageSize == null ? settings.defaultPageSize() : pageSize;
        if (size < 1 || size > settings.maxPageSize()) {
            throw new InvalidField("pageSize", "must be between 1 and " + settings.maxPageSize());
        }
        return size;
    }

    private static long offset(int page, int size) {
        return (long) (page - 1) * size;
    }

    // PostgreSQL keeps microseconds; milliseconds make every answer show exactly what is stored
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
