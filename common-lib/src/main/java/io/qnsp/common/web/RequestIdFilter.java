package io.qnsp.common.web;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.servlet.HandlerMapping;

import java.io.IOException;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is well-formed, a new UUID otherwise. The id
 * is in the MDC while the request is served, on the request as {@link RequestIds#ATTRIBUTE} (so error dispatches
 * reuse it) and echoed on every response. Each request then leaves one access-log line carrying the id, so a
 * request can be followed from the client through the gateway into the service's log. The line names the route's
 * pattern ({@code /v1/api-keys/{key}}), never the raw path, which can carry a key. An async request (a Server-Sent
 * Events stream) leaves its line when it completes, with the time it was open.
 */
class RequestIdFilter implements Filter {

    private static final Logger accessLog = LoggerFactory.getLogger("io.qnsp.access");

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        String id = request.getAttribute(RequestIds.ATTRIBUTE) instanceof String existing ? existing : null;
        if (id == null) {
            id = accept(request.getHeader(RequestIds.HEADER));
            request.setAttribute(RequestIds.ATTRIBUTE, id);
        }
        // set before anything can commit the response, so even a 401 or 413 written by a later filter carries it
        response.setHeader(RequestIds.HEADER, id);
        String outer = MDC.get(RequestIds.MDC_KEY);
        MDC.put(RequestIds.MDC_KEY, id);
        boolean first = request.getDispatcherType() == DispatcherType.REQUEST;
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (first && accessLog.isInfoEnabled() && !request.getRequestURI().startsWith("/actuator")) {
                if (request.isAsyncStarted()) {
                    // a stream (SSE) or deferred answer: log once it is over, with its whole duration
                    request.getAsyncContext().addListener(new AccessLogOnCompletion(request, response, id, started));
                } else {
                    logAccess(request, response, started);
                }
            }
            if (outer == null) {
                MDC.remove(RequestIds.MDC_KEY);
            } else {
                MDC.put(RequestIds.MDC_KEY, outer);
            }
        }
    }

    private static void logAccess(HttpServletRequest request, HttpServletResponse response, long started) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        accessLog.info("{} {} {} {}ms", request.getMethod(), pattern != null ? pattern : "(unmatched)",
                response.getStatus(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Writes an async request's access-log line when it completes, on whichever thread completes it. */
    private record AccessLogOnCompletion(HttpServletRequest request, HttpServletResponse response, String id,
                                         long started) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            String outer = MDC.get(RequestIds.MDC_KEY);
            MDC.put(RequestIds.MDC_KEY, id);
            try {
                logAccess(request, response, started);
            } finally {
                if (outer == null) {
                    MDC.remove(RequestIds.MDC_KEY);
                } else {
                    MDC.put(RequestIds.MDC_KEY, outer);
                }
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // a new async cycle on the same request: keep listening to it
            event.getAsyncContext().addListener(this);
        }
    }

    static String accept(String offered) {
        return RequestIds.accept(offered);
    }
}
