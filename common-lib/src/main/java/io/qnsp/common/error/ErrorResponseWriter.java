package io.qnsp.common.error;

import io.qnsp.common.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Writes an error to a servlet response in the {@link ErrorFamily} format of the request's path (see
 * {@link ApiFamilies}); used by the error advice, the {@code /error} page, servlet filters and Spring Security's entry
 * points alike, so every failure looks the same.
 */
public class ErrorResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponseWriter.class);

    private final ApiFamilies families;
    private final JsonMapper jsonMapper;

    /** A writer answering every path in one family. */
    public ErrorResponseWriter(ErrorFamily family) {
        this(new ApiFamilies(family, Map.of()));
    }

    public ErrorResponseWriter(ApiFamilies families) {
        this.families = families;
        // a plain mapper of our own: a service's inclusion or naming settings must not change the error format
        this.jsonMapper = JsonMapper.shared();
    }

    /** The service's default family ({@code qnsp.errors.family}). */
    public ErrorFamily family() {
        return families.defaultFamily();
    }

    /** The family this request is answered in. */
    public ErrorFamily family(HttpServletRequest request) {
        return families.ofPath(RequestedPath.of(request));
    }

    /** The body {@link #write} would send for this error on this request. */
    public Map<String, Object> body(HttpServletRequest request, ApiError error) {
        return family(request).body(error, requestId(request), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** Answers with the error, unless the response is already committed (then it can only be logged). */
    public void write(HttpServletRequest request, HttpServletResponse response, ApiError error) {
        write(request, response, error, HttpHeaders.EMPTY);
    }

    /** As {@link #write(HttpServletRequest, HttpServletResponse, ApiError)}, adding headers such as {@code Allow}. */
    public void write(HttpServletRequest request, HttpServletResponse response, ApiError error, HttpHeaders headers) {
        if (response.isCommitted()) {
            log.warn("Response already committed; could not send error {} {}", error.status().value(), error.code());
            return;
        }
        byte[] bytes = jsonMapper.writeValueAsBytes(body(request, error));
        response.resetBuffer();
        response.setStatus(error.status().value());
        String requestId = requestId(request);
        if (requestId != null) {
            response.setHeader(RequestIds.HEADER, requestId);
        }
        for (Map.Entry<String, List<String>> header : headers.headerSet()) {
            List<String> values = header.getValue();
            for (int i = 0; i < values.size(); i++) {
                if (i == 0) {
                    response.setHeader(header.getKey(), values.get(i));
                } else {
                    response.addHeader(header.getKey(), values.get(i));
                }
            }
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(bytes.length);
        try {
            try {
                response.getOutputStream().write(bytes);
            } catch (IllegalStateException writerInUse) {
                response.getWriter().write(new String(bytes, StandardCharsets.UTF_8));
            }
            response.flushBuffer();
        } catch (IOException e) {
            // the client went away; nothing more can be sent
            log.debug("Could not send error {} {}: {}", error.status().value(), error.code(), e.toString());
        }
    }

    private static String requestId(HttpServletRequest request) {
        Object attribute = request == null ? null : request.getAttribute(RequestIds.ATTRIBUTE);
        return attribute instanceof String id ? id : RequestIds.current();
    }
}
