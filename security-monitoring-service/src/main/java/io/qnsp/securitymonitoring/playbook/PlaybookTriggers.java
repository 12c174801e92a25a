package io.qnsp.securitymonitoring.playbook;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.EventStreamListener;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starts playbooks from the platform's audit stream: an event of a type a tenant's enabled playbook lists, at or
 * above its severity threshold and passing its filters, counts towards its trigger; once enough such events for one
 * resource fell within the window, an execution starts (pending approval when an action requires it), acting with
 * the playbook's responder client, and is audited as {@code security.playbook.triggered}. This service's own events
 * never trigger anything, nor do a playbook's own responder's (the audit events of what its actions did), so a
 * playbook cannot loop on itself. common-lib calls the handler once per event id.
 */
@Component
public class PlaybookTriggers {

    static final String SERVICE = "security-monitoring-service";

    private final Playbooks playbooks;
    private final PlaybookRunner runner;
    private final ResponseActions actions;
    private final ResponderSecrets secrets;
    private final EventOutbox outbox;
    private final Clock clock;

    PlaybookTriggers(Playbooks playbooks, PlaybookRunner runner, ResponseActions actions, ResponderSecrets secrets,
                     EventOutbox outbox, Clock clock) {
        this.playbooks = playbooks;
        this.runner = runner;
        this.actions = actions;
        this.secrets = secrets;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Configuration(proxyBeanMethods = false)
    static class Subscription {

        @Bean
        EventStreamListener<AuditEvent> securityMonitoringAuditEvents(PlaybookTriggers triggers) {
            return new EventStreamListener<>(AuditEvent.STREAM, SERVICE, AuditEvent.class, triggers::consider);
        }
    }

    public void consider(AuditEvent event) {
        if (event.eventId() == null || blank(event.tenantId()) || blank(event.action())
                || SERVICE.equals(event.service())) {
            return;
        }
        Instant at = event.occurredAt() == null ? clock.instant() : event.occurredAt();
        for (Playbook playbook : playbooks.enabled(event.tenantId())) {
            if (!matches(playbook.trigger(), event) || (playbook.responderClientId() != null
                    && playbook.responderClientId().equals(event.actor()))) {
                continue;
            }
            TriggerFilters filters = playbook.trigger().filters();
            String resource = filters.subjectOf(event);
            if (filters.minOccurrences() > 1) {
                playbooks.recordOccurrence(playbook.playbookId(), event.eventId(), resource, at);
                if (playbooks.occurrences(playbook.playbookId(), resource,
                        at.minusSeconds(filters.windowSeconds())) < filters.minOccurrences()) {
                    continue;
                }
                playbooks.clearOccurrences(playbook.playbookId(), resource);
            }
            fire(playbook, event, resource);
        }
    }

    private void fire(Playbook playbook, AuditEvent event, String resource) {
        Execution execution = new Execution(UUID.randomUUID(), playbook.tenantId(), playbook.playbookId(),
                event.eventId().toString(), resource.isEmpty() ? List.of() : List.of(resource),
                "trigger:" + event.eventId(), playbook.dryRun(),
                playbook.needsApproval() ? Execution.PENDING_APPROVAL : Execution.RUNNING, clock.instant(), null);
        playbooks.insert(execution);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("playbookId", playbook.playbookId().toString());
        details.put("eventId", event.eventId().toString());
        details.put("eventType", event.action());
        details.put("status", execution.status());
        details.put("dryRun", Boolean.toString(execution.dryRun()));
        outbox.append(new AuditEvent(UUID.randomUUID(), clock.instant(), playbook.tenantId(),
                "playbook:" + playbook.playbookId(), "security.playbook.triggered", "playbook_execution",
                execution.executionId().toString(), "success", event.requestId(), SERVICE, details));
        if (execution.status().equals(Execution.RUNNING)) {
            runner.startAfterCommit(execution, playbook, () -> responderToken(playbook));
        }
    }

    private String responderToken(Playbook playbook) throws ResponseActions.ActionFailed {
        if (playbook.responderClientId() == null || playbook.responderSecret() == null) {
            throw new ResponseActions.ActionFailed("the playbook has no responder client: a run its trigger "
                    + "starts cannot act on the platform");
        }
        return actions.responderToken(playbook.responderClientId(), secrets.open(playbook.responderSecret()));
    }

    static boolean matches(Playbook.Trigger trigger, AuditEvent event) {
        if (!trigger.eventTypes().contains(event.action()) && !trigger.eventTypes().contains("*")) {
            return false;
        }
        if (trigger.severityThreshold() != null && Playbook.SEVERITIES.indexOf(severity(event))
                < Playbook.SEVERITIES.indexOf(trigger.severityThreshold())) {
            return false;
        }
        TriggerFilters filters = trigger.filters();
        if (filters.outcome() != null && !filters.outcome().equals(event.outcome())) {
            return false;
        }
        if (filters.resourceType() != null && !filters.resourceType().equals(event.resourceType())) {
            return false;
        }
        return filters.details().entrySet().stream()
                .allMatch(wanted -> wanted.getValue().equals(event.details().get(wanted.getKey())));
    }

    /**
     * An event's severity: its {@code severity} detail when it is a level; else from its {@code riskScore} detail
     * (0-100: 80 critical, 60 high, 30 medium, below low); else medium for a failed or denied outcome, low otherwise.
     */
    static String severity(AuditEvent event) {
        String stated = event.details().get("severity");
        if (stated != null && Playbook.SEVERITIES.contains(stated.toLowerCase(java.util.Locale.ROOT))) {
            return stated.toLowerCase(java.util.Locale.ROOT);
        }
        Double score = number(event.details().get("riskScore"));
        if (score != null) {
            return score >= 80 ? "critical" : score >= 60 ? "high" : score >= 30 ? "medium" : "low";
        }
        return "failure".equals(event.outcome()) || "denied".equals(event.outcome()) ? "medium" : "low";
    }

    private static @Nullable Double number(@Nullable String text) {
        try {
            return text == null ? null : Double.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean blank(@Nullable String text) {
        return text == null || text.isBlank();
    }
}
