package io.qnsp.auth.federation;

import io.qnsp.auth.LookBackPeriod;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Records identity-provider events for the caller's tenant, pages through them, and aggregates the activity of
 * users acting across tenants. Every operation is scoped by the caller's tenant.
 */
@Service
public class FederationAuditManagement {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private final FederatedEvents events;
    private final QueryCursors cursors;
    private final EventMetadata metadata;
    private final FederationAuditSettings settings;
    private final JsonMapper json;
    private final Clock clock;

    FederationAuditManagement(FederatedEvents events, QueryCursors cursors, FederationAuditSettings settings,
                              JsonMapper json, Optional<Clock> clock) {
        this.events = events;
        this.cursors = cursors;
        this.metadata = new EventMetadata(json, settings.maxMetadataSize().toBytes());
        this.settings = settings;
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** Stores an event of the caller's tenant; its metadata is bounded and its secret-looking values redacted. */
    @Transactional
    public RecordedEvent record(Caller caller, NewEvent event) {
        String tenantId = tenantOf(caller);
        Instant now = Times.now(clock);
        Instant occurredAt = now;
        if (event.timestamp() != null && !event.timestamp().isBlank()) {
            occurredAt = Times.instant("timestamp", event.timestamp());
            if (occurredAt.isAfter(now.plus(settings.maxClockSkew()))) {
                throw new InvalidTime("timestamp", "must not lie more than " + settings.maxClockSkew().toSeconds()
                        + " seconds in the future");
            }
            if (occurredAt.isBefore(now.minus(settings.maxEventAge()))) {
                throw new InvalidTime("timestamp", "must not lie more than " + settings.maxEventAge().toDays()
                        + " days in the past");
            }
        }
        String target = event.targetTenantId() == null || event.targetTenantId().isBlank()
                ? null : event.targetTenantId().strip();
        if (tenantId.equals(target)) {
            target = null; // acting in one's own tenant is not cross-tenant activity
        }
        StoredEvent stored = new StoredEvent(UUID.randomUUID(), tenantId, event.eventType().strip(),
                event.provider().strip(), event.userId().strip(), event.outcome(),
                metadata.toStoredJson(event.metadata()), target, occurredAt, now, caller.principal());
        events.insert(stored);
        return new RecordedEvent(stored.id(), stored.recordedAt(), stored.occurredAt());
    }

    /** A page of the caller's events matching the filter, with the total that match and the next page's cursor. */
    @Transactional(readOnly = true)
    public EventPage query(Caller caller, EventFilter filter) {
        String tenantId = tenantOf(caller);
        Instant start = Times.bound("startTime", filter.startTime(), false);
        Instant end = Times.bound("endTime", filter.endTime(), true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new InvalidTime("startTime", "must be before endTime");
        }
        int limit = filter.limit() == null ? DEFAULT_LIMIT : filter.limit();
        EventCriteria criteria = new EventCriteria(start, end, distinct(filter.eventTypes()),
                distinct(filter.providers()), distinct(filter.userIds()), "desc".equals(filter.order()));
        byte[] fingerprint = QueryCursors.fingerprint(criteria.canonical());
        QueryCursors.Position after = filter.cursor() == null || filter.cursor().isBlank()
                ? null : cursors.read(tenantId, fingerprint, filter.cursor());
        List<StoredEvent> rows = events.page(tenantId, criteria, after, limit + 1);
        String nextCursor = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            StoredEvent last = rows.getLast();
            nextCursor = cursors.issue(tenantId, fingerprint, new QueryCursors.Position(last.occurredAt(), last.id()));
        }
        List<EventView> views = new ArrayList<>(rows.size());
        for (StoredEvent row : rows) {
            views.add(new EventView(row.id(), row.eventType(), row.provider(), row.userId(), row.occurredAt(),
                    json.readTree(row.metadataJson()), row.outcome(), row.targetTenantId(), row.recordedAt()));
        }
        return new EventPage(views, nextCursor, events.count(tenantId, criteria));
    }

    /**
     * Cross-tenant activity of the period in which the caller's tenant is the source or the target, per pair of
     * tenants; {@code otherTenants} (when not empty) keeps only pairs whose other side is one of them.
     */
    @Transactional(readOnly = true)
    public List<CrossTenantActivity> crossTenantActivity(Caller caller, LookBackPeriod period,
                                                         List<String> otherTenants) {
        String tenantId = tenantOf(caller);
        Instant since = Times.now(clock).minus(period.length());
        return events.crossTenant(tenantId, since, distinct(otherTenants));
    }

    /** The caller's tenant; federated audit data always belongs to one. */
    static String tenantOf(Caller caller) {
        return TenantRequired.tenantOf(caller);
    }

    private static List<String> distinct(List<String> values) {
        if (values == null) {
            return List.of();
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                unique.add(value.strip());
            }
        }
        return List.copyOf(unique);
    }
}
