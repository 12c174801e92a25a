package io.qnsp.test.contract;

import org.reactivestreams.Publisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a reactive service's exchanges (the gateway's), first of all web filters. An exchange the gateway passed
 * on to another service is that service's to check against its own document, so it is left out here.
 */
final class ReactiveExchangeRecording implements WebFilter, Ordered {

    /** Spring Cloud Gateway's attribute for the URL a request was routed to ({@code ServerWebExchangeUtils}). */
    private static final String ROUTED_TO =
            "org.springframework.cloud.gateway.support.ServerWebExchangeUtils.gatewayRequestUrl";

    private final ExchangeRecorder recorder;

    ReactiveExchangeRecording(ExchangeRecorder recorder) {
        this.recorder = recorder;
    }

    static void install(ConfigurableApplicationContext context, ExchangeRecorder recorder) {
        context.getBeanFactory().registerSingleton("qnspExchangeRecordingWebFilter",
                new ReactiveExchangeRecording(recorder));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (!recorder.isApi(path)) {
            return chain.filter(exchange);
        }
        recorder.started();
        Copy requestBody = new Copy();
        Copy responseBody = new Copy();
        ServerHttpRequest recordingRequest = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().doOnNext(requestBody::append);
            }
        };
        ServerHttpResponse recordingResponse = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                return super.writeWith(Flux.from(body).doOnNext(responseBody::append));
            }

            @Override
            public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
                return super.writeAndFlushWith(Flux.from(body)
                        .map(part -> Flux.from(part).doOnNext(responseBody::append)));
            }
        };
        ServerWebExchange recording = exchange.mutate().request(recordingRequest).response(recordingResponse).build();
        return chain.filter(recording).doFinally(signal -> {
            try {
                if (!(recording.getAttributes().get(ROUTED_TO) instanceof URI target && isRemote(target))) {
                    recorder.record(exchange(request, path, requestBody, exchange.getResponse(), responseBody));
                }
            } finally {
                recorder.finished();
            }
        });
    }

    private static boolean isRemote(URI target) {
        return target.getScheme() != null && (target.getScheme().startsWith("http") || target.getScheme()
                .equals("lb") || target.getScheme().startsWith("ws"));
    }

    private static RecordedExchange exchange(ServerHttpRequest request, String path, Copy requestBody,
                                             ServerHttpResponse response, Copy responseBody) {
        HttpStatusCode status = response.getStatusCode();
        String contentType = response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        boolean stream = contentType != null && contentType.startsWith("text/event-stream");
        return new RecordedExchange(request.getMethod().name(), path, request.getURI().getRawQuery(),
                headers(request.getHeaders()), requestBody.toByteArray(), status == null ? 200 : status.value(),
                headers(response.getHeaders()), responseBody.toByteArray(), responseBody.truncated, stream);
    }

    private static Map<String, List<String>> headers(HttpHeaders headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, new ArrayList<>(values)));
        return copy;
    }

    /** The first bytes of a body, up to the recorder's limit, read without consuming the buffers. */
    private static final class Copy extends ByteArrayOutputStream {

        boolean truncated;

        synchronized void append(DataBuffer buffer) {
            int length = buffer.readableByteCount();
            int room = Math.max(0, ExchangeRecorder.BODY_LIMIT - count);
            int kept = Math.min(room, length);
            if (kept > 0) {
                byte[] bytes = new byte[kept];
                buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, kept);
                write(bytes, 0, kept);
            }
            if (length > room) {
                truncated = true;
            }
        }
    }
}
