package io.qnsp.auth.federation;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** A checked query over one tenant's events: time range [start, end), any-of lists (empty: all) and order. */
record EventCriteria(Instant start, Instant end, List<String> eventTypes, List<String> providers,
                     List<String> userIds, boolean descending) {

    EventCriteria {
        eventTypes = List.copyOf(eventTypes);
        providers = List.copyOf(providers);
        userIds = List.copyOf(userIds);
    }

    /** A stable text of the filters, for the cursor's fingerprint: same filters, same text, in any input order. */
    String canonical() {
        return "v1|" + start + "|" + end + "|" + list(eventTypes) + "|" + list(providers) + "|" + list(userIds) + "|"
                + (descending ? "desc" : "asc");
    }

    private static String list(List<String> values) {
        // lengths make the encoding unambiguous whatever characters the values hold
        return values.stream().sorted().map(v -> v.length() + ":" + v).collect(Collectors.joining(","));
    }
}
