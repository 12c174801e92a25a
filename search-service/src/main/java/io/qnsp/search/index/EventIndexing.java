package io.qnsp.search.index;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventStreamListener;
import io.qnsp.common.events.RequestLogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Feeds the index from the platform's event streams: every audit event becomes a document of
 * {@code audit-events}, every request the gateway logged one of {@code request-logs}, and audit events about an API
 * key or a secret keep that resource's document in {@code api-keys} or {@code secrets} up to date (its name,
 * description and metadata as the event's details carry them; audit events never carry secret values). common-lib
 * calls each handler once per event id in the transaction that records the id, and acknowledges after commit.
 */
@Component
public class EventIndexing {

    static final String GROUP = "search-service";
    static final int MAX_TEXT = 4000;

    /** The resource types whose audit events describe a secret (by id and metadata). */
    static final Set<String> SECRET_TYPES = Set.of("secret", "versioned_secret", "dynamic_secret_config");
    /** Details whose values are never indexed, whatever a publisher put there. */
    private static final Set<String> NEVER_INDEXED = Set.of("value", "secret", "password", "plaintext", "key",
            "apikey", "token", "ciphertext");

    private static final Logger log = LoggerFactory.getLogger(EventIndexing.class);

    private final SearchIndex index;
    private final Clock clock;

    EventIndexing(SearchIndex index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    /** The subscriptions to the {@code audit} and {@code request-log} streams, under search-service's group. */
    @Configuration(proxyBeanMethods = false)
    static class Subscriptions {

        @Bean
        EventStreamListener<AuditEvent> searchAuditEvents(EventIndexing indexing) {
            return new EventStreamListener<>(AuditEvent.STREAM, GROUP, AuditEvent.class, indexing::index);
        }

        @Bean
        EventStreamListener<RequestLogEvent> searchRequestLog(EventIndexing indexing) {
            return new EventStreamListener<>(RequestLogEvent.STREAM, GROUP, RequestLogEvent.class, indexing::index);
        }
    }

    /** Indexes one audit event for its tenant; an operator's own action (no tenant) is nobody's to search. */
    public void index(AuditEvent event) {
        if (event.eventId() == null || blank(event.tenantId()) || blank(event.action())) {
            log.debug("Audit event {} has no tenant or action; not indexed", event.eventId());
            return;
        }
        Instant at = event.occurredAt() == null ? clock.instant() : event.occurredAt();
        Map<String, String> details = indexable(event.details());
        StringBuilder title = new StringBuilder(words(event.action()));
        if (!blank(event.resourceType())) {
            title.append(' ').append(words(event.resourceType()));
        }
        StringBuilder body = new StringBuilder();
        append(body, "action", event.action());
        append(body, "resource", event.resourceId());
        append(body, "actor", event.actor());
        append(body, "outcome", event.outcome());
        append(body, "service", event.service());
        append(body, "request", event.requestId());
        details.forEach((name, value) -> append(body, name, value));
        index.put(new IndexedDocument(Indices.AUDIT_EVENTS, event.tenantId(), event.eventId().toString(),
                cut(title.toString()), cut(body.toString()), at));

        if (blank(event.resourceId())) {
            return;
        }
        if ("api_key".equals(event.resourceType())) {
            indexResource(Indices.API_KEYS, "API key", event, details, at);
        } else if (event.resourceType() != null && SECRET_TYPES.contains(event.resourceType())) {
            indexResource(Indices.SECRETS, "secret", event, details, at);
        }
    }

    /** Indexes one request of the gateway's log for its tenant; an anonymous request is nobody's to search. */
    public void index(RequestLogEvent event) {
        if (event.eventId() == null || blank(event.tenantId()) || blank(event.path())) {
            return;
        }
        Instant at = event.timestamp() == null ? clock.instant() : event.timestamp();
        String title = (blank(event.method()) ? "" : event.method() + " ") + event.path();
        StringBuilder body = new StringBuilder();
        append(body, "path", words(event.path()));
        append(body, "status", Integer.toString(event.statusCode()));
        append(body, "duration", event.durationMs() + " ms");
        append(body, "key", event.keyId());
        append(body, "request", event.requestId());
        append(body, "agent", event.userAgent());
        if (event.rateLimited()) {
            append(body, "rate", "limited");
        }
        index.put(new IndexedDocument(Indices.REQUEST_LOGS, event.tenantId(), event.eventId().toString(),
                cut(title), cut(body.toString()), at));
    }

    /**
     * The resource's own document: its latest name and description (from the event, or kept from before when the
     * event does not carry them), what last happened to it and when.
     */
    private void indexResource(String indexName, String kind, AuditEvent event, Map<String, String> details,
                               Instant at) {
        IndexedDocument before = index.find(event.tenantId(), indexName, event.resourceId()).orElse(null);
        String name = details.get("name");
        String title = name != null ? kind + " " + name
                : before != null ? before.title() : kind + " " + event.resourceId();
        StringBuilder body = new StringBuilder();
        append(body, "id", event.resourceId());
        append(body, "last", words(event.action()) + " by " + event.actor());
        details.forEach((detail, value) -> {
            if (!"name".equals(detail)) {
                append(body, detail, value);
            }
        });
        if (before != null && !details.containsKey("description")) {
            // keep what earlier events said about the resource (its description, metadata)
            String earlier = before.body().replaceFirst("^id: [^\\n]*\\n?", "")
                    .replaceFirst("^last: [^\\n]*\\n?", "");
            if (!earlier.isBlank()) {
                body.append(earlier.startsWith("\n") ? earlier.substring(1) : earlier);
                if (!earlier.endsWith("\n")) {
                    body.append('\n');
                }
            }
        }
        index.put(new IndexedDocument(indexName, event.tenantId(), event.resourceId(), cut(title),
                cut(body.toString()), at));
    }

    private static Map<String, String> indexable(Map<String, String> details) {
        Map<String, String> kept = new TreeMap<>();
        details.forEach((name, value) -> {
            String normalized = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
            if (value != null && !NEVER_INDEXED.contains(normalized)) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    /** {@code auth.api_key.created} reads as {@code auth api key created} to the text search parser. */
    static String words(String text) {
        return text.replaceAll("[._/\\-]+", " ").strip();
    }

    private static void append(StringBuilder body, String name, String value) {
        if (!blank(value)) {
            body.append(name).append(": ").append(value.strip()).append('\n');
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}
