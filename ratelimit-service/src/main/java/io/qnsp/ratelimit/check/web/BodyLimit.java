package io.qnsp.ratelimit.check.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Collects a request's body up to the limit. A longer body (declared or as it arrives) is not answered here, as
 * Netty would with an empty 413, but passed on as an {@link Oversized} request so that it is answered in its turn
 * and in the service's error format; the rest of its body is read and dropped.
 */
final class BodyLimit extends HttpObjectAggregator {

    /** A request whose body is longer than the limit: its head only. */
    record Oversized(HttpRequest head, int limit) {
    }

    private final int limit;

    BodyLimit(int limit) {
        super(limit);
        this.limit = limit;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (oversized instanceof HttpRequest request) {
            HttpRequest head = new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                    request.headers().copy());
            ctx.fireChannelRead(new Oversized(head, limit));
        }
    }
}
