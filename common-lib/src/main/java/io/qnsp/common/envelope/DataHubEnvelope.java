package io.qnsp.common.envelope;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DataHub family's success bodies (spec 003): {@code {"success":true,"data":…,"meta":{"requestId","timestamp"}}}
 * and, for a {@link Paged} list,
 * {@code {"success":true,"data":[…],"pagination":{"page","pageSize","totalItems","totalPages"},"meta":{…}}}. Servlet
 * services get them applied for them (see {@code package-info}); a reactive service (the gateway) builds them here.
 */
public final class DataHubEnvelope {

    private DataHubEnvelope() {
    }

    /** The body for one result; a {@link Paged} result gets the paginated form. */
    public static Map<String, Object> success(Object data, String requestId, Instant timestamp) {
        if (data instanceof Paged<?> paged) {
            return page(paged, requestId, timestamp);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", data);
        body.put("meta", meta(requestId, timestamp));
        return body;
    }

    /** The paginated body. */
    public static Map<String, Object> page(Paged<?> page, String requestId, Instant timestamp) {
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("page", page.page());
        pagination.put("pageSize", page.pageSize());
        pagination.put("totalItems", page.totalItems());
        pagination.put("totalPages", page.totalPages());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", page.items());
        body.put("pagination", pagination);
        body.put("meta", meta(requestId, timestamp));
        return body;
    }

    /** {@code {"requestId":…,"timestamp":…}}, the timestamp in ISO-8601 UTC as the error bodies write it. */
    public static Map<String, Object> meta(String requestId, Instant timestamp) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("requestId", requestId);
        meta.put("timestamp", timestamp.toString());
        return meta;
    }
}
