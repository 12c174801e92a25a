package io.qnsp.ratelimit.envoy;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.RateLimit;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qnsp.common.ratelimit.RateLimitBucket;
import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.common.ratelimit.RateLimiterUnavailable;
import io.qnsp.common.ratelimit.ReactiveRateLimiter;
import io.qnsp.ratelimit.apikey.ActiveKey;
import io.qnsp.ratelimit.apikey.ApiKeyDirectory;
import io.qnsp.ratelimit.envoy.DescriptorRules.Entry;
import io.qnsp.ratelimit.envoy.DescriptorRules.Limit;
import io.qnsp.ratelimit.usage.UsageCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Envoy's {@code ShouldRateLimit} on the platform's engine. Each descriptor is limited by the platform API key it
 * names (the key's own bucket, as {@code POST /v1/check} charges it) or by a configured rule, or not at all; the
 * limited descriptors of one request are charged together in one {@code tryConsumeAll}. Never blocks the calling
 * thread: the answer is sent when the engine's {@code Mono} completes, and key lookups that miss the in-memory cache
 * run on {@code lookups}.
 */
final class EnvoyRateLimitService extends RateLimitServiceGrpc.RateLimitServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(EnvoyRateLimitService.class);
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;
    static final String API_KEY_LIMIT_NAME = "api_key";

    /** What one descriptor is charged against. */
    private sealed interface Target {
    }

    /** No rule and no key: OK without a limit. */
    private record Unlimited() implements Target {
    }

    /** Charged against {@code bucket}; a shadow-mode rule's answer never denies the request. */
    private record Limited(RateLimitBucket bucket, RateLimit limit, long cost, boolean shadow, UUID keyId)
            implements Target {
    }

    /** Over the limit without asking the bucket: an unknown or disabled key, or a cost above the bucket's size. */
    private record Refused(RateLimit limit, boolean shadow) implements Target {
    }

    /** A descriptor naming an API key, resolved once its settings are known. */
    private record KeyDescriptor(int index, String apiKey, long cost) {
    }

    /** The meters of the calls answered with one code. */
    private record CallMeters(Counter calls, Timer duration) {
    }

    /** A bucket's state after the request: over its limit or not, with what it holds. */
    private record Outcome(boolean overLimit, long remaining, java.time.Duration resetIn) {
    }

    private final DescriptorRules rules;
    private final ApiKeyDirectory directory;
    private final ReactiveRateLimiter limiter;
    private final UsageCounters counters;
    private final Scheduler lookups;
    private final String apiKeyEntry;
    private final boolean responseHeaders;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Counter shadowOverLimit;
    private final Map<String, CallMeters> callMeters = new ConcurrentHashMap<>();

    EnvoyRateLimitService(DescriptorRules rules, ApiKeyDirectory directory, ReactiveRateLimiter limiter,
                          UsageCounters counters, Scheduler lookups, EnvoySettings settings, Clock clock,
                          MeterRegistry registry) {
        this.rules = rules;
        this.directory = directory;
        this.limiter = limiter;
        this.counters = counters;
        this.lookups = lookups;
        this.apiKeyEntry = settings.apiKeyEntry();
        this.responseHeaders = settings.responseHeaders();
        this.clock = clock;
        this.registry = registry;
        this.shadowOverLimit = Counter.builder("qnsp.ratelimit.envoy.shadow.over-limit")
                .description("descriptors of shadow-mode rules that were over their limit (the request was not denied)")
                .register(registry);
    }

    @Override
    public void shouldRateLimit(RateLimitRequest request, StreamObserver<RateLimitResponse> observer) {
        Timer.Sample sample = Timer.start(registry);
        Mono<RateLimitResponse> answer;
        try {
            answer = decide(request);
        } catch (RuntimeException e) {
            answer = Mono.error(e);
        }
        answer.subscribe(response -> {
            finish(sample, response.getOverallCode() == Code.OK ? "ok" : "over_limit");
            try {
                observer.onNext(response);
                observer.onCompleted();
            } catch (RuntimeException cancelled) {
                log.debug("the caller went away before the answer", cancelled);
            }
        }, failure -> {
            Status status = statusOf(failure);
            finish(sample, status.getCode().name().toLowerCase());
            try {
                observer.onError(status.asRuntimeException());
            } catch (RuntimeException cancelled) {
                log.debug("the caller went away before the answer", cancelled);
            }
        });
    }

    private void finish(Timer.Sample sample, String code) {
        // looked up once per code: building and registering a meter per call was a tenth of the call's own work
        CallMeters meters = callMeters.computeIfAbsent(code, this::callMeters);
        meters.calls().increment();
        sample.stop(meters.duration());
    }

    private CallMeters callMeters(String code) {
        return new CallMeters(registry.counter("qnsp.ratelimit.envoy.calls", "code", code),
                Timer.builder("qnsp.ratelimit.envoy.duration")
                        .description("ShouldRateLimit calls, from arrival to answer").tag("code", code)
                        .register(registry));
    }

    private static Status statusOf(Throwable failure) {
        if (failure instanceof InvalidRateLimitRequest invalid) {
            return Status.INVALID_ARGUMENT.withDescription(invalid.getMessage());
        }
        if (failure instanceof RateLimiterUnavailable) {
            return Status.UNAVAILABLE.withDescription("rate limiting is temporarily unavailable: Redis cannot be reached");
        }
        if (failure instanceof DataAccessException || failure instanceof TransactionException) {
            log.warn("could not look up an API key: {}", failure.getClass().getSimpleName());
            return Status.UNAVAILABLE.withDescription("API keys cannot be looked up right now");
        }
        log.error("ShouldRateLimit failed", failure);
        return Status.INTERNAL.withDescription("the rate-limit decision failed");
    }

    Mono<RateLimitResponse> decide(RateLimitRequest request) {
        if (request.getDomain().isEmpty()) {
            throw new InvalidRateLimitRequest("domain must not be empty");
        }
        if (request.getDescriptorsCount() == 0) {
            throw new InvalidRateLimitRequest("descriptors must not be empty");
        }
        long requestCost = request.getHitsAddend() == 0 ? 1 : request.getHitsAddend();
        int count = request.getDescriptorsCount();
        Target[] targets = new Target[count];
        List<KeyDescriptor> keys = new ArrayList<>();
        Long chargedCost = null;
        for (int i = 0; i < count; i++) {
            RateLimitDescriptor descriptor = request.getDescriptors(i);
            List<Entry> entries = entries(descriptor, i);
            long cost = descriptor.hasHitsAddend() && descriptor.getHitsAddend().getValue() > 0
                    ? descriptor.getHitsAddend().getValue() : requestCost;
            String apiKey = apiKeyOf(entries);
            boolean charged;
            if (apiKey != null) {
                keys.add(new KeyDescriptor(i, apiKey, cost));
                charged = true;
            } else {
                targets[i] = rules.match(request.getDomain(), entries)
                        .map(match -> ruleTarget(match, cost))
                        .orElseGet(Unlimited::new);
                charged = targets[i] instanceof Limited limited && !limited.shadow();
            }
            if (charged) {
                if (chargedCost != null && chargedCost != cost) {
                    throw new InvalidRateLimitRequest("descriptors[" + i + "].hits_addend must equal the other limited"
                            + " descriptors' hits (" + chargedCost + "): they are charged together");
                }
                chargedCost = cost;
            }
        }
        return resolve(keys, targets).flatMap(resolved -> charge(resolved));
    }

    private static List<Entry> entries(RateLimitDescriptor descriptor, int index) {
        if (descriptor.getEntriesCount() == 0) {
            throw new InvalidRateLimitRequest("descriptors[" + index + "].entries must not be empty");
        }
        List<Entry> entries = new ArrayList<>(descriptor.getEntriesCount());
        for (int j = 0; j < descriptor.getEntriesCount(); j++) {
            RateLimitDescriptor.Entry entry = descriptor.getEntries(j);
            if (entry.getKey().isEmpty()) {
                throw new InvalidRateLimitRequest("descriptors[" + index + "].entries[" + j + "].key must not be empty");
            }
            entries.add(new Entry(entry.getKey(), entry.getValue()));
        }
        return entries;
    }

    private String apiKeyOf(List<Entry> entries) {
        for (Entry entry : entries) {
            if (entry.key().equals(apiKeyEntry)) {
                return entry.value();
            }
        }
        return null;
    }

    private static Target ruleTarget(DescriptorRules.Match match, long cost) {
        Limit limit = match.limit();
        RateLimit proto = RateLimit.newBuilder()
                .setRequestsPerUnit((int) Math.min(limit.requestsPerUnit(), MAX_UINT32))
                .setUnit(RateLimit.Unit.valueOf(limit.unit().name()))
                .build();
        if (cost > limit.requestsPerUnit()) {
            return new Refused(proto, limit.shadowMode());
        }
        return new Limited(new RateLimitBucket(match.bucketId(), limit.bucket()), proto, cost, limit.shadowMode(), null);
    }

    /** Fills in the key descriptors: from memory where it can, else with one trip off the calling thread. */
    private Mono<Target[]> resolve(List<KeyDescriptor> keys, Target[] targets) {
        List<KeyDescriptor> uncached = new ArrayList<>();
        for (KeyDescriptor key : keys) {
            Optional<ActiveKey> cached = directory.lookupIfCached(key.apiKey());
            if (cached == null) {
                uncached.add(key);
            } else {
                targets[key.index()] = keyTarget(cached, key.cost());
            }
        }
        if (uncached.isEmpty()) {
            return Mono.just(targets);
        }
        return Mono.fromCallable(() -> {
            for (KeyDescriptor key : uncached) {
                targets[key.index()] = keyTarget(directory.lookup(key.apiKey()), key.cost());
            }
            return targets;
        }).subscribeOn(lookups);
    }

    private static Target keyTarget(Optional<ActiveKey> found, long cost) {
        if (found.isEmpty() || !found.get().active()) {
            return new Refused(null, false);
        }
        ActiveKey key = found.get();
        RateLimit limit = RateLimit.newBuilder()
                .setName(API_KEY_LIMIT_NAME)
                .setRequestsPerUnit(key.limits().tokensPerSecond())
                .setUnit(RateLimit.Unit.SECOND)
                .build();
        if (cost > key.limits().burstCapacity()) {
            return new Refused(limit, false);
        }
        return new Limited(new RateLimitBucket(key.keyId().toString(), key.limits().bucket()), limit, cost, false,
                key.keyId());
    }

    private Mono<RateLimitResponse> charge(Target[] targets) {
        // a bucket named by two descriptors is charged once; both get its outcome
        Map<String, Limited> charged = new LinkedHashMap<>();
        Map<String, Limited> shadow = new LinkedHashMap<>();
        boolean refused = false;
        long cost = 1;
        for (Target target : targets) {
            switch (target) {
                case Limited limited when limited.shadow() -> shadow.putIfAbsent(limited.bucket().id(), limited);
                case Limited limited -> {
                    charged.putIfAbsent(limited.bucket().id(), limited);
                    cost = limited.cost();
                }
                case Refused r when !r.shadow() -> refused = true;
                default -> {
                }
            }
        }
        Mono<Map<String, Outcome>> main;
        if (charged.isEmpty()) {
            main = Mono.just(Map.of());
        } else if (refused) {
            // the request is over its limit anyway: charge nothing, tell each bucket's state
            main = peekAll(charged.values(), cost);
        } else {
            List<RateLimitBucket> buckets = charged.values().stream().map(Limited::bucket).toList();
            long hits = cost;
            Mono<RateLimitDecision> decision = limiter.tryConsumeAll(buckets, hits);
            main = buckets.size() == 1
                    ? decision.map(d -> Map.of(buckets.getFirst().id(),
                            new Outcome(!d.allowed(), d.remainingTokens(), d.resetIn())))
                    // the engine answers with the decision that governs: each bucket's own state is looked up
                    : decision.flatMap(d -> peekAll(charged.values(), hits).map(states -> overLimit(states, d)));
        }
        Mono<Map<String, Outcome>> shadows = Flux.fromIterable(shadow.values())
                .flatMap(s -> limiter.tryConsume(s.bucket().id(), s.bucket().limits(), s.cost())
                        .map(d -> Map.entry(s.bucket().id(), new Outcome(!d.allowed(), d.remainingTokens(), d.resetIn()))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        boolean anyRefused = refused;
        return Mono.zip(main, shadows).map(both -> answer(targets, anyRefused, both.getT1(), both.getT2()));
    }

    private Mono<Map<String, Outcome>> peekAll(Iterable<Limited> buckets, long cost) {
        return Flux.fromIterable(buckets)
                .flatMap(b -> limiter.peek(b.bucket().id(), b.bucket().limits())
                        .map(d -> Map.entry(b.bucket().id(), new Outcome(d.remainingTokens() < cost, d.remainingTokens(),
                                d.resetIn()))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** Marks the buckets that lack the tokens when the engine denied; at least one, the emptiest, if none looks short. */
    private static Map<String, Outcome> overLimit(Map<String, Outcome> states, RateLimitDecision decision) {
        if (decision.allowed()) {
            Map<String, Outcome> admitted = new LinkedHashMap<>();
            states.forEach((id, state) -> admitted.put(id, new Outcome(false, state.remaining(), state.resetIn())));
            return admitted;
        }
        if (states.values().stream().anyMatch(Outcome::overLimit)) {
            return states;
        }
        String emptiest = states.entrySet().stream()
                .min(java.util.Comparator.comparingLong(e -> e.getValue().remaining())).orElseThrow().getKey();
        Map<String, Outcome> marked = new LinkedHashMap<>(states);
        Outcome state = states.get(emptiest);
        marked.put(emptiest, new Outcome(true, state.remaining(), state.resetIn()));
        return marked;
    }

    private RateLimitResponse answer(Target[] targets, boolean refused, Map<String, Outcome> main,
                                     Map<String, Outcome> shadows) {
        boolean overLimit = refused || main.values().stream().anyMatch(Outcome::overLimit);
        RateLimitResponse.Builder response = RateLimitResponse.newBuilder()
                .setOverallCode(overLimit ? Code.OVER_LIMIT : Code.OK);
        DescriptorStatus tightest = null;
        Instant now = Instant.now(clock);
        for (Target target : targets) {
            DescriptorStatus status = switch (target) {
                case Unlimited u -> DescriptorStatus.newBuilder().setCode(Code.OK).build();
                case Refused r -> {
                    DescriptorStatus.Builder b = DescriptorStatus.newBuilder().setCode(r.shadow() ? Code.OK : Code.OVER_LIMIT);
                    if (r.limit() != null) {
                        b.setCurrentLimit(r.limit());
                    }
                    if (r.shadow()) {
                        shadowOverLimit.increment();
                    }
                    yield b.build();
                }
                case Limited l -> {
                    Outcome outcome = (l.shadow() ? shadows : main).get(l.bucket().id());
                    if (l.shadow() && outcome.overLimit()) {
                        shadowOverLimit.increment();
                    }
                    if (l.keyId() != null) {
                        counters.record(l.keyId(), !overLimit, now);
                    }
                    yield DescriptorStatus.newBuilder()
                            .setCode(outcome.overLimit() && !l.shadow() ? Code.OVER_LIMIT : Code.OK)
                            .setCurrentLimit(l.limit())
                            .setLimitRemaining((int) Math.min(Math.max(outcome.remaining(), 0), MAX_UINT32))
                            .setDurationUntilReset(duration(outcome.resetIn()))
                            .build();
                }
            };
            response.addStatuses(status);
            if (status.hasCurrentLimit() && (tightest == null
                    || Integer.toUnsignedLong(status.getLimitRemaining()) < Integer.toUnsignedLong(tightest.getLimitRemaining()))) {
                tightest = status;
            }
        }
        if (responseHeaders && tightest != null) {
            addHeaders(response, tightest);
        }
        return response.build();
    }

    /** The draft RFC's headers (draft 03, as envoyproxy/ratelimit sends them) for the tightest descriptor. */
    private static void addHeaders(RateLimitResponse.Builder response, DescriptorStatus tightest) {
        RateLimit limit = tightest.getCurrentLimit();
        long window = EnvoySettings.Unit.valueOf(limit.getUnit().name()).seconds();
        long perUnit = Integer.toUnsignedLong(limit.getRequestsPerUnit());
        long resetSeconds = tightest.getDurationUntilReset().getSeconds()
                + (tightest.getDurationUntilReset().getNanos() > 0 ? 1 : 0);
        response.addResponseHeadersToAdd(header("X-RateLimit-Limit", perUnit + ", " + perUnit + ";w=" + window));
        response.addResponseHeadersToAdd(header("X-RateLimit-Remaining",
                Long.toString(Integer.toUnsignedLong(tightest.getLimitRemaining()))));
        response.addResponseHeadersToAdd(header("X-RateLimit-Reset", Long.toString(resetSeconds)));
    }

    private static HeaderValue header(String name, String value) {
        return HeaderValue.newBuilder().setKey(name).setValue(value).build();
    }

    private static Duration duration(java.time.Duration duration) {
        return Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }
}
