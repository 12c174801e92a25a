package io.qnsp.ratelimit.envoy;

import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Calls the service over a real channel, with the client stub generated from Envoy's protos, as Envoy does. */
final class EnvoyClient implements AutoCloseable {

    // generous: a loaded machine can take many seconds to open a channel; a deadline only stops a hang
    private static final long DEADLINE_SECONDS = 120;

    private final ManagedChannel channel;

    EnvoyClient(int port) {
        channel = NettyChannelBuilder.forAddress("localhost", port).usePlaintext().build();
    }

    /** One descriptor of key/value pairs: {@code descriptor("a", "1", "b", "2")}. */
    static RateLimitDescriptor descriptor(String... keysAndValues) {
        RateLimitDescriptor.Builder descriptor = RateLimitDescriptor.newBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            descriptor.addEntries(RateLimitDescriptor.Entry.newBuilder()
                    .setKey(keysAndValues[i]).setValue(keysAndValues[i + 1]));
        }
        return descriptor.build();
    }

    RateLimitResponse call(String domain, int hitsAddend, RateLimitDescriptor... descriptors) {
        return call(RateLimitRequest.newBuilder().setDomain(domain).setHitsAddend(hitsAddend)
                .addAllDescriptors(List.of(descriptors)).build());
    }

    RateLimitResponse call(String domain, RateLimitDescriptor... descriptors) {
        return call(domain, 0, descriptors);
    }

    RateLimitResponse call(RateLimitRequest request) {
        return RateLimitServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .shouldRateLimit(request);
    }

    /** The status a call fails with; fails the test when the call succeeds. */
    Status failure(RateLimitRequest request) {
        try {
            RateLimitResponse response = call(request);
            throw new AssertionError("expected the call to fail, got " + response);
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    HealthCheckResponse.ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
