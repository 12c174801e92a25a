package io.qnsp.search.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The indices of the platform's searchable records, each a partition of the {@code document} table. */
public final class Indices {

    public static final String AUDIT_EVENTS = "audit-events";
    public static final String REQUEST_LOGS = "request-logs";
    public static final String API_KEYS = "api-keys";
    public static final String SECRETS = "secrets";

    private static final Map<String, String> PARTITIONS = new LinkedHashMap<>();

    static {
        PARTITIONS.put(AUDIT_EVENTS, "document_audit_events");
        PARTITIONS.put(REQUEST_LOGS, "document_request_logs");
        PARTITIONS.put(API_KEYS, "document_api_keys");
        PARTITIONS.put(SECRETS, "document_secrets");
    }

    /** Every index name, in a fixed order. */
    public static final List<String> NAMES = List.copyOf(PARTITIONS.keySet());

    private Indices() {
    }

    public static boolean exists(String indexName) {
        return PARTITIONS.containsKey(indexName);
    }

    /** The table holding the index (a name from the fixed list above, so safe to put into SQL). */
    public static String partition(String indexName) {
        String table = PARTITIONS.get(indexName);
        if (table == null) {
            throw new IllegalArgumentException("no index " + indexName);
        }
        return table;
    }
}
