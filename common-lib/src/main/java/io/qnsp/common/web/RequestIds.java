package io.qnsp.common.web;

import org.slf4j.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/** The current request's id, as accepted from {@code X-Request-Id} or generated, for errors, logs and events. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** The servlet request attribute holding the id, so error dispatches after the request's own see it too. */
    public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /**
     * The id of a request that came with {@code offered} in {@link #HEADER}: the caller's own when it is a plain
     * token of at most 128 characters, else a new random one (for servers outside the servlet filter chain).
     */
    public static String accept(String offered) {
        return offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    /** The id of the request being served on this thread, or {@code null} outside a request. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }
}
