package io.qnsp.common.web;

import org.slf4j.MDC;

/** The current request's id, as accepted from {@code X-Request-Id} or generated, for errors, logs and events. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** The servlet request attribute holding the id, so error dispatches after the request's own see it too. */
    public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

    private RequestIds() {
    }

    /** The id of the request being served on this thread, or {@code null} outside a request. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }
}
