package io.qnsp.ratelimit.envoy;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server of Envoy's rate-limit service on its own port, with the standard health service; started and
 * stopped with the application context. Calls run on the transport's threads (the service never blocks them), and a
 * stop lets calls in flight finish for the grace period before it cuts them.
 */
public final class EnvoyRateLimitServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EnvoyRateLimitServer.class);

    private final BindableService service;
    private final EnvoySettings settings;
    private final HealthStatusManager health = new HealthStatusManager();
    private volatile Server server;

    EnvoyRateLimitServer(BindableService service, EnvoySettings settings) {
        this.service = service;
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Server built = NettyServerBuilder.forAddress(new InetSocketAddress(settings.bindAddress(), settings.port()))
                .directExecutor()
                .addService(service)
                .addService(health.getHealthService())
                .build();
        try {
            built.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for Envoy rate-limit calls on " + settings.bindAddress()
                    + ":" + settings.port(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(RateLimitServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        server = built;
        log.info("Envoy rate-limit service (gRPC) listening on {}:{}", settings.bindAddress(), built.getPort());
    }

    @Override
    public synchronized void stop() {
        Server running = server;
        if (running == null) {
            return;
        }
        health.enterTerminalState();
        running.shutdown();
        try {
            if (!running.awaitTermination(settings.shutdownGracePeriod().toMillis(), TimeUnit.MILLISECONDS)) {
                running.shutdownNow();
                running.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The port the server listens on (the one taken when configured as 0), or -1 when it is not running. */
    public int port() {
        Server running = server;
        return running == null ? -1 : running.getPort();
    }
}
