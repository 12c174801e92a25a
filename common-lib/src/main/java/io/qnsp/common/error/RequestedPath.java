package io.qnsp.common.error;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The path a servlet request was sent to, as {@link ApiFamilies#ofPath} expects it: on an error or forward dispatch
 * the path the caller asked for (not {@code /error}), without the context path. Kept apart from
 * {@link ApiFamilies}, which the reactive gateway uses without the servlet API.
 */
public final class RequestedPath {

    private RequestedPath() {
    }

    public static String of(HttpServletRequest request) {
        if (request == null) {
            return null;
        }
        String uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String error ? error
                : request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) instanceof String forward ? forward
                : request.getRequestURI();
        String contextPath = request.getContextPath();
        if (uri != null && contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
            uri = uri.substring(contextPath.length());
        }
        return uri;
    }
}
