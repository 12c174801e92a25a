package io.qnsp.ratelimit.check.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.qnsp.common.web.RequestIds;
import reactor.core.scheduler.Scheduler;

import java.util.ArrayDeque;
import java.util.Map;

/**
 * One client connection of the decision server. Requests are answered one at a time and in the order they came,
 * so pipelined requests get their answers in order; while one is being decided, the next ones wait (and reading
 * pauses). Keep-alive is the default, {@code Connection: close} is honoured, a connection idle for the configured
 * time is closed, and on shutdown a connection closes as soon as it has no request in progress.
 */
final class DecisionConnection extends ChannelDuplexHandler {

    /** Tells a connection that the server is shutting down. */
    static final Object DRAIN = new Object();

    private final DecisionExchanges exchanges;
    private final Scheduler lookups;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private boolean busy;
    private boolean draining;
    private boolean closing;

    DecisionConnection(DecisionExchanges exchanges, Scheduler lookups) {
        this.exchanges = exchanges;
        this.lookups = lookups;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof FullHttpRequest) && !(message instanceof BodyLimit.Oversized)) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (closing) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (busy) {
            waiting.add(message);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        serve(ctx, message);
    }

    private void serve(ChannelHandlerContext ctx, Object message) {
        busy = true;
        long started = System.nanoTime();
        if (message instanceof BodyLimit.Oversized oversized) {
            String requestId = DecisionExchanges.requestId(oversized.head());
            finish(ctx, oversized.head(), false, exchanges.oversized(oversized.limit(), requestId), requestId, started);
            return;
        }
        FullHttpRequest request = (FullHttpRequest) message;
        String requestId = DecisionExchanges.requestId(request);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        try {
            if (request.decoderResult().isFailure()) {
                finish(ctx, request, false, exchanges.unreadable(request.decoderResult(), requestId), requestId,
                        started);
                return;
            }
            exchanges.answer(request, requestId, lookups, answer -> {
                if (ctx.executor().inEventLoop()) {
                    finish(ctx, request, keepAlive, answer, requestId, started);
                } else {
                    ctx.executor().execute(() -> finish(ctx, request, keepAlive, answer, requestId, started));
                }
            });
        } finally {
            // the body has been read into the check request (or was not needed); the head stays readable
            request.release();
        }
    }

    private void finish(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive,
                        DecisionExchanges.Answer answer, String requestId, long started) {
        boolean keepOpen = keepAlive && !answer.close() && !draining;
        // a HEAD answer has the headers of the answer a GET would get, but no body
        boolean head = HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        headers.set(RequestIds.HEADER, requestId);
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            headers.set(header.getKey(), header.getValue());
        }
        if (!keepOpen) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().isKeepAliveDefault()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        exchanges.recordAnswered(request.method().name(), answer, requestId, started);
        if (keepOpen) {
            ctx.writeAndFlush(response, ctx.voidPromise());
            Object next = waiting.poll();
            if (next != null) {
                // still busy: the next one is served in a later task, so a long pipeline does not deepen the stack
                ctx.executor().execute(() -> serve(ctx, next));
            } else {
                busy = false;
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        busy = false;
        closing = true;
        releaseWaiting();
        if (answer.close() && ctx.channel() instanceof SocketChannel socket) {
            // the body was not read to its end: stop sending, but read (and drop) what the client still sends, so
            // that closing does not reset the connection before the client has read this answer
            ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> socket.shutdownOutput());
            ctx.channel().config().setAutoRead(true);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == DRAIN) {
            draining = true;
            if (!busy) {
                ctx.close();
            }
        } else if (event instanceof IdleStateEvent) {
            if (!busy) {
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseWaiting();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // the connection broke (reset by the client, or an I/O failure): nothing can be answered on it
        ctx.close();
    }

    private void releaseWaiting() {
        for (Object message = waiting.poll(); message != null; message = waiting.poll()) {
            ReferenceCountUtil.release(message);
        }
    }
}
