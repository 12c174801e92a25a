package io.qnsp.bench.envoy;

import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load generator for Envoy's rate-limit protocol: keeps {@code --concurrency} {@code ShouldRateLimit}
 * calls in flight on one HTTP/2 channel (as one Envoy does), each answer sending the next call, first for
 * {@code --warmup} unrecorded and then for {@code --duration}; prints the answers per second of the recorded part.
 * Each call carries one descriptor {@code api_key=<key>}, the keys of {@code --keys} taken in turn, or, without
 * {@code --keys}, {@code remote_address=<n>} for n cycling through {@code --values} distinct values.
 *
 * <p>Example: {@code java -jar qnsp-bench-envoy.jar --port 8188 --keys keys.txt --concurrency 64 --warmup 10s
 * --duration 30s}. Prints {@code calls/s: N} and the counts by answer; exits 1 when a call failed, 2 on bad
 * arguments.
 */
public final class EnvoyLoadGenerator {

    private record Settings(String host, int port, String domain, List<String> keys, int values, int concurrency,
                            Duration warmup, Duration duration) {
    }

    private static final String USAGE = """
            usage: qnsp-bench-envoy --port N [--host localhost] [--domain bench] [--keys FILE | --values 10000]
                                    [--concurrency 64] [--warmup 10s] [--duration 30s]""";

    private final Settings settings;
    private final List<RateLimitRequest> requests;
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder ok = new LongAdder();
    private final LongAdder overLimit = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong firstFailure = new AtomicLong();
    private volatile String failure;
    private volatile boolean recording;
    private volatile long stopAt;

    private EnvoyLoadGenerator(Settings settings) {
        this.settings = settings;
        List<RateLimitRequest> built = new ArrayList<>();
        if (settings.keys() != null) {
            for (String key : settings.keys()) {
                built.add(request(settings.domain(), "api_key", key));
            }
        } else {
            for (int i = 0; i < settings.values(); i++) {
                built.add(request(settings.domain(), "remote_address", "10.0." + (i / 256) + "." + (i % 256)));
            }
        }
        this.requests = List.copyOf(built);
    }

    private static RateLimitRequest request(String domain, String key, String value) {
        return RateLimitRequest.newBuilder().setDomain(domain).setHitsAddend(1)
                .addDescriptors(RateLimitDescriptor.newBuilder()
                        .addEntries(RateLimitDescriptor.Entry.newBuilder().setKey(key).setValue(value)))
                .build();
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.exit(new EnvoyLoadGenerator(settings).run());
    }

    private int run() throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress(settings.host(), settings.port()).usePlaintext()
                .flowControlWindow(1 << 20).build();
        try {
            RateLimitServiceGrpc.RateLimitServiceStub stub = RateLimitServiceGrpc.newStub(channel);
            long start = System.nanoTime();
            stopAt = start + settings.warmup().toNanos() + settings.duration().toNanos();
            CountDownLatch loops = new CountDownLatch(settings.concurrency());
            for (int i = 0; i < settings.concurrency(); i++) {
                call(stub, loops);
            }
            Thread.sleep(settings.warmup());
            long recordedFrom = System.nanoTime();
            ok.reset();
            overLimit.reset();
            recording = true;
            // every loop ends with the first answer after the deadline
            loops.await(settings.warmup().plusSeconds(60).plus(settings.duration()).toMillis(), TimeUnit.MILLISECONDS);
            double seconds = (Math.max(System.nanoTime(), stopAt) - recordedFrom) / 1e9;
            long answered = ok.sum() + overLimit.sum();
            System.out.printf("calls/s: %.0f%n", answered / seconds);
            System.out.printf("answers: %d OK, %d OVER_LIMIT, %d failed in %.1f s with %d in flight%n",
                    ok.sum(), overLimit.sum(), failed.sum(), seconds, settings.concurrency());
            if (failed.sum() > 0) {
                System.err.println("first failure: " + failure);
                return 1;
            }
            return 0;
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void call(RateLimitServiceGrpc.RateLimitServiceStub stub, CountDownLatch loops) {
        RateLimitRequest request = requests.get(Math.floorMod(next.getAndIncrement(), requests.size()));
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).shouldRateLimit(request, new StreamObserver<>() {
            @Override
            public void onNext(RateLimitResponse response) {
                if (response.getOverallCode() == RateLimitResponse.Code.OK) {
                    ok.increment();
                } else {
                    overLimit.increment();
                }
            }

            @Override
            public void onError(Throwable t) {
                failed.increment();
                if (firstFailure.compareAndSet(0, 1)) {
                    failure = t.toString();
                }
                loops.countDown();
            }

            @Override
            public void onCompleted() {
                if (System.nanoTime() - stopAt >= 0) {
                    loops.countDown();
                } else {
                    call(stub, loops);
                }
            }
        });
    }

    private static Settings parse(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        if (!options.containsKey("port")) {
            throw new IllegalArgumentException("--port is required");
        }
        List<String> keys = null;
        if (options.containsKey("keys")) {
            keys = Files.readAllLines(Path.of(options.get("keys"))).stream().map(String::strip)
                    .filter(line -> !line.isEmpty()).toList();
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("--keys names an empty file");
            }
        }
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
        int values = Integer.parseInt(options.getOrDefault("values", "10000"));
        if (concurrency < 1 || values < 1) {
            throw new IllegalArgumentException("--concurrency and --values must be at least 1");
        }
        return new Settings(options.getOrDefault("host", "localhost"), Integer.parseInt(options.get("port")),
                options.getOrDefault("domain", "bench"), keys, values, concurrency,
                duration(options.getOrDefault("warmup", "10s")), duration(options.getOrDefault("duration", "30s")));
    }

    private static Duration duration(String text) {
        if (!text.matches("\\d+s")) {
            throw new IllegalArgumentException("durations are whole seconds, like 30s: " + text);
        }
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }
}
