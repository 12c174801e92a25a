package io.qnsp.audit.events;

import io.qnsp.common.error.InvalidField;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The filters of an audit-event query; every one is optional. {@code until} is exclusive. */
record AuditEventQuery(String eventType, String service, Severity severity, String resourceId, Instant since,
                       Instant until) {

    static AuditEventQuery parse(String eventType, String service, String severity, String resourceId, String since,
                                 String until) {
        Severity level = null;
        if (severity != null) {
            level = Severity.parse(severity).orElseThrow(() -> new InvalidField("severity",
                    "must be one of info, warning, error, critical"));
        }
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidField("until", "must be after since");
        }
        return new AuditEventQuery(blankToNull(eventType), blankToNull(service), level, blankToNull(resourceId), from,
                to);
    }

    private static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidField(field, "must be an ISO-8601 instant, e.g. 2026-01-15T10:30:00Z");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
