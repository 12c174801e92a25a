package io.qnsp.ratelimit.check.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.qnsp.common.error.ErrorResponseWriter;
import io.qnsp.ratelimit.check.RateLimitCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@code POST /v1/check} on a port of its own with Netty, outside the servlet stack, by the same rules and
 * with the same answers as the endpoint on the main port. It listens before the application reports itself ready,
 * and on shutdown stops accepting, answers the requests in progress and then closes its connections.
 */
@Component
@ConditionalOnBooleanProperty(name = "qnsp.ratelimit.decision-server.enabled", matchIfMissing = true)
public class DecisionServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DecisionServer.class);
    // stopped with the web server's graceful shutdown, before Redis and the database go away
    private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;
    private static final int KEY_LOOKUP_QUEUE = 10_000;
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;

    private final DecisionServerSettings settings;
    private final DecisionExchanges exchanges;
    private EventLoopGroup loops;
    private ThreadPoolExecutor lookupThreads;
    private ChannelGroup connections;
    private Channel listener;
    private volatile int port = -1;

    DecisionServer(DecisionServerSettings settings, RateLimitCheck check, ErrorResponseWriter errors,
                   ObjectProvider<MeterRegistry> registry) {
        this.settings = settings;
        this.exchanges = new DecisionExchanges(check, errors.family(),
                registry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    /** The port it listens on, once started. */
    public int port() {
        return port;
    }

    @Override
    public synchronized void start() {
        if (listener != null) {
            return;
        }
        lookupThreads = new ThreadPoolExecutor(settings.keyLookupThreads(), settings.keyLookupThreads(),
                0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(KEY_LOOKUP_QUEUE),
                Thread.ofVirtual().name("decision-key-lookup-", 0).factory());
        Scheduler lookups = Schedulers.fromExecutorService(lookupThreads, "decision-key-lookup");
        loops = new MultiThreadIoEventLoopGroup(settings.eventLoopThreads(),
                new DefaultThreadFactory("decision-server"), NioIoHandler.newFactory());
        connections = new DefaultChannelGroup("decision-connections", GlobalEventExecutor.INSTANCE);
        int maxBody = Math.toIntExact(settings.maxBodySize().toBytes());
        long idleMillis = settings.idleTimeout().toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline()
                                .addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192))
                                .addLast(new BodyLimit(maxBody))
                                .addLast(new DecisionConnection(exchanges, lookups));
                    }
                });
        try {
            listener = bootstrap.bind(new InetSocketAddress(settings.bindAddress(), settings.port()))
                    .syncUninterruptibly().channel();
        } catch (Exception e) {
            // a port in use arrives as the BindException itself, though undeclared
            shutDownThreads();
            throw new IllegalStateException("the decision server cannot listen on " + settings.bindAddress() + ":"
                    + settings.port(), e);
        }
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        log.info("decision server listening on {}:{} for POST /v1/check", settings.bindAddress(), port);
    }

    @Override
    public synchronized void stop() {
        if (listener == null) {
            return;
        }
        listener.close().syncUninterruptibly();
        listener = null;
        // idle connections close now, busy ones once their answers are written
        connections.forEach(channel -> channel.pipeline().fireUserEventTriggered(DecisionConnection.DRAIN));
        if (!connections.newCloseFuture().awaitUninterruptibly(settings.shutdownGrace().toMillis())) {
            log.warn("requests still in progress after {}; closing their connections", settings.shutdownGrace());
        }
        connections.close().awaitUninterruptibly();
        shutDownThreads();
        log.info("decision server stopped");
    }

    private void shutDownThreads() {
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            loops = null;
        }
        if (lookupThreads != null) {
            lookupThreads.shutdownNow();
            lookupThreads = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return listener != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
