package io.qnsp.observability.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A per-tenant, per-minute metric the service computes from the gateway's request log: what anomaly rules watch and
 * dashboard panels show.
 */
public enum Metric {

    /** Requests the tenant made in the minute; a minute without requests counts as zero. */
    REQUEST_COUNT("request_count", "requests per minute", 1.0),
    /** Share (0 to 1) of the minute's requests answered with a 5xx status. */
    ERROR_RATE("error_rate", "share of requests answered 5xx", 0.01),
    /** Share (0 to 1) of the minute's requests answered with a 4xx status. */
    CLIENT_ERROR_RATE("client_error_rate", "share of requests answered 4xx", 0.01),
    /** Mean duration in milliseconds of the minute's requests. */
    LATENCY_MEAN_MS("latency_mean_ms", "mean request duration in milliseconds", 1.0),
    /** Longest duration in milliseconds of the minute's requests. */
    LATENCY_MAX_MS("latency_max_ms", "longest request duration in milliseconds", 1.0),
    /** Requests of the minute the rate limiter refused; a minute without requests counts as zero. */
    RATE_LIMITED_COUNT("rate_limited_count", "requests refused by the rate limiter per minute", 1.0);

    /** Every metric's name, as the API spells them. */
    public static final List<String> NAMES = Arrays.stream(values()).map(Metric::metricName).toList();

    private final String metricName;
    private final String description;
    private final double resolution;

    Metric(String metricName, String description, double resolution) {
        this.metricName = metricName;
        this.description = description;
        this.resolution = resolution;
    }

    public static Optional<Metric> named(String name) {
        return Arrays.stream(values()).filter(m -> m.metricName.equals(name)).findFirst();
    }

    public String metricName() {
        return metricName;
    }

    public String description() {
        return description;
    }

    /**
     * The smallest difference of this metric that means anything (one request, one percentage point, one
     * millisecond): the least spread a baseline is given, so that a perfectly flat history does not turn noise into
     * an infinite score.
     */
    public double resolution() {
        return resolution;
    }

    /** Whether a minute without any request has a value (zero) rather than none. */
    public boolean countsIdleMinutes() {
        return this == REQUEST_COUNT || this == RATE_LIMITED_COUNT;
    }

    /** The metric's value for a minute with traffic; empty for a rate or latency of a minute without requests. */
    public OptionalDouble of(MinuteAggregate minute) {
        if (minute.requests() == 0) {
            return countsIdleMinutes() ? OptionalDouble.of(0) : OptionalDouble.empty();
        }
        double requests = minute.requests();
        return OptionalDouble.of(switch (this) {
            case REQUEST_COUNT -> requests;
            case ERROR_RATE -> minute.serverErrors() / requests;
            case CLIENT_ERROR_RATE -> minute.clientErrors() / requests;
            case LATENCY_MEAN_MS -> minute.durationSumMs() / requests;
            case LATENCY_MAX_MS -> minute.durationMaxMs();
            case RATE_LIMITED_COUNT -> minute.rateLimited();
        });
    }
}
