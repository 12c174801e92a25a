package io.qnsp.test.contract;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.web.util.ContentCachingRequestWrapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a servlet service's exchanges, outermost of all filters so it sees the final answer, security's and the
 * error page's included. The response is copied as it is written, never held back, so streams (SSE) stay live; a
 * {@code sendError} is recorded from the error dispatch that renders it, an async request when it completes.
 */
final class ServletExchangeRecording implements Filter {

    private static final String PENDING = ServletExchangeRecording.class.getName() + ".pending";

    private final ExchangeRecorder recorder;

    ServletExchangeRecording(ExchangeRecorder recorder) {
        this.recorder = recorder;
    }

    static void install(ConfigurableApplicationContext context, ExchangeRecorder recorder) {
        FilterRegistrationBean<ServletExchangeRecording> registration =
                new FilterRegistrationBean<>(new ServletExchangeRecording(recorder));
        registration.setName("qnspExchangeRecording");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR));
        registration.setAsyncSupported(true);
        context.getBeanFactory().registerSingleton("qnspExchangeRecordingFilter", registration);
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            error(request, response, chain);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!recorder.isApi(path)) {
            chain.doFilter(request, response);
            return;
        }
        recorder.started();
        ContentCachingRequestWrapper cachingRequest = new ContentCachingRequestWrapper(request,
                ExchangeRecorder.BODY_LIMIT);
        TeeResponse tee = new TeeResponse(response);
        try {
            chain.doFilter(cachingRequest, tee);
        } finally {
            tee.flushWriter();
            Incoming incoming = Incoming.of(cachingRequest, path);
            if (request.isAsyncStarted()) {
                recorder.started();
                request.getAsyncContext().addListener(new Completion(incoming, tee));
            } else if (tee.errorSent) {
                // the container renders it in an error dispatch, which records it
                request.setAttribute(PENDING, incoming);
                recorder.started();
            } else {
                recorder.record(incoming.answered(tee, false));
            }
            recorder.finished();
        }
    }

    private void error(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request.getAttribute(PENDING) instanceof Incoming incoming)) {
            chain.doFilter(request, response);
            return;
        }
        request.removeAttribute(PENDING);
        TeeResponse tee = new TeeResponse(response);
        try {
            chain.doFilter(request, tee);
        } finally {
            tee.flushWriter();
            recorder.record(incoming.answered(tee, false));
            recorder.finished();
        }
    }

    /** The request part of an exchange, kept until its answer is complete. */
    private record Incoming(String method, String path, String query, Map<String, List<String>> headers,
                            byte[] body) {

        static Incoming of(ContentCachingRequestWrapper request, String path) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                headers.put(name, Collections.list(request.getHeaders(name)));
            }
            return new Incoming(request.getMethod(), path, request.getQueryString(), headers,
                    request.getContentAsByteArray());
        }

        RecordedExchange answered(TeeResponse response, boolean streamed) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : response.getHeaderNames()) {
                headers.put(name, new ArrayList<>(response.getHeaders(name)));
            }
            if (response.getContentType() != null) {
                headers.put("Content-Type", List.of(response.getContentType()));
            }
            return new RecordedExchange(method, path, query, this.headers, body, response.getStatus(), headers,
                    response.copy.toByteArray(), response.copy.truncated, streamed);
        }
    }

    private final class Completion implements AsyncListener {

        private final Incoming incoming;
        private final TeeResponse tee;

        Completion(Incoming incoming, TeeResponse tee) {
            this.incoming = incoming;
            this.tee = tee;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            boolean stream = tee.getContentType() != null && tee.getContentType().startsWith("text/event-stream");
            recorder.record(incoming.answered(tee, stream));
            recorder.finished();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /** The first bytes of a body, up to the recorder's limit. */
    private static final class Copy extends ByteArrayOutputStream {

        boolean truncated;

        void append(int b) {
            if (count < ExchangeRecorder.BODY_LIMIT) {
                write(b);
            } else {
                truncated = true;
            }
        }

        void append(byte[] bytes, int offset, int length) {
            int room = Math.max(0, ExchangeRecorder.BODY_LIMIT - count);
            write(bytes, offset, Math.min(room, length));
            if (length > room) {
                truncated = true;
            }
        }

        void clear() {
            reset();
            truncated = false;
        }
    }

    /** Passes every write straight on and keeps a copy. */
    private static final class TeeResponse extends HttpServletResponseWrapper {

        final Copy copy = new Copy();
        boolean errorSent;
        private ServletOutputStream tee;
        private PrintWriter writer;
        private boolean streamUsed;

        TeeResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (writer != null) {
                throw new IllegalStateException("getWriter() has already been called for this response");
            }
            streamUsed = true;
            return tee();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (streamUsed) {
                throw new IllegalStateException("getOutputStream() has already been called for this response");
            }
            if (writer == null) {
                Charset charset = getCharacterEncoding() == null ? StandardCharsets.ISO_8859_1
                        : Charset.forName(getCharacterEncoding());
                writer = new PrintWriter(new OutputStreamWriter(tee(), charset));
            }
            return writer;
        }

        /** What went through the writer reaches the response (and the copy) only when flushed. */
        void flushWriter() {
            if (writer != null) {
                writer.flush();
            }
        }

        private ServletOutputStream tee() throws IOException {
            if (tee == null) {
                ServletOutputStream target = super.getOutputStream();
                tee = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        target.write(b);
                        copy.append(b);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        target.write(bytes, offset, length);
                        copy.append(bytes, offset, length);
                    }

                    @Override
                    public void flush() throws IOException {
                        target.flush();
                    }

                    @Override
                    public void close() throws IOException {
                        target.close();
                    }

                    @Override
                    public boolean isReady() {
                        return target.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        target.setWriteListener(listener);
                    }
                };
            }
            return tee;
        }

        @Override
        public void flushBuffer() throws IOException {
            flushWriter();
            super.flushBuffer();
        }

        @Override
        public void resetBuffer() {
            super.resetBuffer();
            copy.clear();
        }

        @Override
        public void reset() {
            super.reset();
            copy.clear();
        }

        @Override
        public void sendError(int status) throws IOException {
            errorSent = true;
            super.sendError(status);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            errorSent = true;
            super.sendError(status, message);
        }
    }
}
