package io.qnsp.audit.streaming;

import io.qnsp.audit.delivery.Deliveries;
import io.qnsp.audit.events.Severity;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.ids.Ulids;
import io.qnsp.common.security.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Creates, lists, changes and deletes the caller's streaming subscriptions. A caller only ever sees its own
 * tenant's subscriptions; the platform operator (no tenant) has its own, for platform-level events.
 */
@Service
public class SubscriptionManagement {

    static final String PREFIX = "sub_";
    static final int MAX_NAME = 200;
    static final int MAX_FILTER_VALUES = 100;
    static final int MAX_FILTER_VALUE = 200;

    private final StreamSubscriptions subscriptions;
    private final SubscriptionDestinations destinations;
    private final Deliveries deliveries;
    private final StreamingSettings settings;
    private final Clock clock = Clock.systemUTC();

    SubscriptionManagement(StreamSubscriptions subscriptions, SubscriptionDestinations destinations,
                           Deliveries deliveries, StreamingSettings settings) {
        this.subscriptions = subscriptions;
        this.destinations = destinations;
        this.deliveries = deliveries;
        this.settings = settings;
    }

    /**
     * A subscription just created.
     *
     * @param generatedSecret the webhook signing secret made for it, shown this once; {@code null} otherwise
     */
    public record Created(StreamSubscription subscription, String generatedSecret) {
    }

    @Transactional
    public Created create(Caller caller, SubscriptionRequest request) {
        if (request == null) {
            throw new InvalidField("body", "is required");
        }
        String name = name(request.name());
        SubscriptionRequest.Filters filters = filters(request.filters());
        SubscriptionDestinations.Parsed destination = destinations.parse(request.destination());
        if (subscriptions.count(caller.tenantId()) >= settings.maxSubscriptionsPerTenant()) {
            throw new SubscriptionLimitReached(settings.maxSubscriptionsPerTenant());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StreamSubscription subscription = new StreamSubscription(Ulids.next(PREFIX, now), caller.tenantId(), name,
                SubscriptionStatus.ACTIVE, filters, destination.type(), destination.shown(), now, now);
        subscriptions.insert(subscription, destinations.seal(destination.hidden()));
        return new Created(subscription, destination.generatedSecret());
    }

    public List<StreamSubscription> list(Caller caller) {
        return subscriptions.list(caller.tenantId());
    }

    public StreamSubscription get(Caller caller, String subscriptionId) {
        return subscriptions.find(caller.tenantId(), subscriptionId)
                .orElseThrow(() -> new SubscriptionNotFound("subscriptionId"));
    }

    @Transactional
    public StreamSubscription update(Caller caller, String subscriptionId, SubscriptionUpdate update) {
        StreamSubscription current = get(caller, subscriptionId);
        if (update == null || (update.name() == null && update.filters() == null && update.status() == null)) {
            throw new InvalidField("body", "must change at least one of name, filters, status");
        }
        String name = update.name() == null ? current.name() : name(update.name());
        SubscriptionRequest.Filters filters = update.filters() == null ? current.filters() : filters(update.filters());
        SubscriptionStatus status = current.status();
        if (update.status() != null) {
            status = SubscriptionStatus.parse(update.status().trim().toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> new InvalidField("status", "must be one of active, paused"));
        }
        StreamSubscription changed = new StreamSubscription(current.subscriptionId(), current.tenantId(), name,
                status, filters, current.destinationType(), current.destinationConfig(), current.createdAt(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        subscriptions.update(changed);
        return changed;
    }

    /** Deletes the subscription and its delivery history; deliveries still pending are dropped with it. */
    @Transactional
    public void delete(Caller caller, String subscriptionId) {
        if (!subscriptions.delete(caller.tenantId(), subscriptionId)) {
            throw new SubscriptionNotFound("subscriptionId");
        }
        deliveries.deleteAll(SubscriptionDeliveries.KIND, subscriptionId);
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidField("name", "is required");
        }
        String trimmed = name.trim();
        if (trimmed.length() > MAX_NAME) {
            throw new InvalidField("name", "must be at most " + MAX_NAME + " characters");
        }
        return trimmed;
    }

    static SubscriptionRequest.Filters filters(SubscriptionRequest.Filters filters) {
        if (filters == null) {
            return new SubscriptionRequest.Filters(List.of(), List.of(), List.of());
        }
        List<String> eventTypes = values("filters.eventTypes", filters.eventTypes());
        List<String> services = values("filters.services", filters.services());
        List<String> severities = values("filters.severities", filters.severities());
        return new SubscriptionRequest.Filters(eventTypes, services, severities);
    }

    /** The trimmed values without repeats, in the order given; each one checked by its index. */
    private static List<String> values(String field, List<String> given) {
        if (given == null) {
            return List.of();
        }
        if (given.size() > MAX_FILTER_VALUES) {
            throw new InvalidField(field, "must have at most " + MAX_FILTER_VALUES + " values");
        }
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String at = field + "[" + i + "]";
            String value = given.get(i);
            if (value == null || value.isBlank()) {
                throw new InvalidField(at, "must not be blank");
            }
            value = value.trim();
            if (value.length() > MAX_FILTER_VALUE) {
                throw new InvalidField(at, "must be at most " + MAX_FILTER_VALUE + " characters");
            }
            if (field.endsWith("severities")) {
                value = Severity.parse(value).map(Severity::label).orElseThrow(() -> new InvalidField(at,
                        "must be one of info, warning, error, critical"));
            }
            if (field.endsWith("eventTypes") && value.indexOf('*') >= 0 && value.indexOf('*') != value.length() - 1) {
                throw new InvalidField(at, "may end with * to match a prefix but not contain it elsewhere");
            }
            values.add(value);
        }
        return List.copyOf(values);
    }
}
