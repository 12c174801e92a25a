package io.qnsp.common.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorResponseWriter;
import io.qnsp.common.error.InvalidField;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Refuses a request whose query or form parameters hold a NUL character (400 {@code invalid_request} naming the
 * parameter). No text a service stores or looks up can hold one: PostgreSQL refuses it in every text value, and the
 * lookup would fail as an internal error instead of telling the caller what is wrong. JSON bodies are checked as
 * they are read ({@link NulFreeStrings}). Form data that does not decode at all is refused here too, as the first
 * place that reads it.
 */
class NulCharacterFilter implements Filter {

    static final String PROBLEM = "must not contain a NUL character";

    private final ErrorResponseWriter writer;

    NulCharacterFilter(ErrorResponseWriter writer) {
        this.writer = writer;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        String offending;
        try {
            offending = offendingParameter(request);
        } catch (IllegalStateException malformed) {
            // Tomcat's InvalidParameterException: form data whose escapes or characters do not decode
            writer.write(request, (HttpServletResponse) servletResponse,
                    ApiError.of(new InvalidField("body", "is not well-formed form data")));
            return;
        }
        if (offending != null) {
            writer.write(request, (HttpServletResponse) servletResponse,
                    ApiError.of(new InvalidField(offending, PROBLEM, Map.of("location", "query parameter"))));
            return;
        }
        chain.doFilter(request, servletResponse);
    }

    /** The first parameter whose name or value holds a NUL, or {@code null}. */
    private static String offendingParameter(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query != null && (query.indexOf('\u0000') >= 0 || query.contains("%00"))) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                if (name.indexOf('\u0000') >= 0 || value.indexOf('\u0000') >= 0) {
                    return name.replace("\u0000", "\\0");
                }
            }
        }
        String contentType = request.getContentType();
        if (contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
            for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
                if (parameter.getKey().indexOf('\u0000') >= 0) {
                    return parameter.getKey().replace("\u0000", "\\0");
                }
                for (String value : parameter.getValue()) {
                    if (value != null && value.indexOf('\u0000') >= 0) {
                        return parameter.getKey();
                    }
                }
            }
        }
        return null;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text; // a broken escape is the parameter binding's to refuse
        }
    }
}
