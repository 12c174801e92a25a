package io.qnsp.common.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorResponseWriter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Refuses request bodies above the configured size (the path's own, when {@code qnsp.web.path-limits} names it): at
 * once when {@code Content-Length} says so, and while reading when the body is chunked. Either way the caller gets
 * 413 {@code payload_too_large} in the family's format.
 */
class RequestBodyLimitFilter implements Filter {

    private record PathRule(List<PathPattern> patterns, long limit) {
    }

    private final long defaultLimit;
    private final List<PathRule> pathRules;
    private final ErrorResponseWriter writer;

    RequestBodyLimitFilter(long limit, List<WebRequestProperties.PathLimit> pathLimits, ErrorResponseWriter writer) {
        this.defaultLimit = limit;
        PathPatternParser parser = new PathPatternParser();
        this.pathRules = pathLimits.stream().map(p -> new PathRule(p.paths().stream().map(parser::parse).toList(),
                p.maxRequestBody().toBytes())).toList();
        this.writer = writer;
    }

    private long limitFor(HttpServletRequest request) {
        if (pathRules.isEmpty()) {
            return defaultLimit;
        }
        PathContainer path = PathContainer.parsePath(request.getRequestURI().substring(
                request.getContextPath().length()));
        for (PathRule rule : pathRules) {
            for (PathPattern pattern : rule.patterns()) {
                if (pattern.matches(path)) {
                    return rule.limit();
                }
            }
        }
        return defaultLimit;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        long limit = limitFor(request);
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            reject(request, response, new RequestBodyTooLarge(limit));
            return;
        }
        HttpServletRequest limited = declared < 0 ? new LimitedRequest(request, limit) : request;
        try {
            chain.doFilter(limited, response);
        } catch (RequestBodyTooLarge e) {
            // read by a filter rather than by Spring MVC, whose error advice would otherwise have answered
            reject(request, response, e);
        }
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, RequestBodyTooLarge tooLarge) {
        writer.write(request, response, ApiError.of(tooLarge));
    }

    /** A request whose body stream counts what is read and fails past the limit. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;
        private BufferedReader reader;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (reader != null) {
                throw new IllegalStateException("getReader() has already been called for this request");
            }
            if (stream == null) {
                stream = new CountingInputStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (stream != null) {
                throw new IllegalStateException("getInputStream() has already been called for this request");
            }
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(
                        new CountingInputStream(super.getInputStream(), limit), charset));
            }
            return reader;
        }
    }

    private static final class CountingInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long limit;
        private long count;

        CountingInputStream(ServletInputStream delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > limit) {
                throw new RequestBodyTooLarge(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
