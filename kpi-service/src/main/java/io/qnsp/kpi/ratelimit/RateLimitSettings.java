package io.qnsp.kpi.ratelimit;

import io.qnsp.common.ratelimit.BucketLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.Map;

/**
 * Spec 000's rate limits ({@code qnsp.kpi.rate-limit}): each endpoint limits each tenant separately, to its own
 * limit from {@code endpoints} (by operation id, e.g. {@code queryKpi}) or else to the default, 10 requests per
 * second with bursts of 10.
 *
 * @param requestsPerSecond the default sustained rate per tenant and endpoint
 * @param burst             the default number of requests a tenant may make at once (the bucket's capacity)
 * @param endpoints         limits of single endpoints, by operation id
 */
@Validated
@ConfigurationProperties("qnsp.kpi.rate-limit")
public record RateLimitSettings(@DefaultValue("10") @DecimalMin("0.001") double requestsPerSecond,
                                @DefaultValue("10") @Min(1) long burst,
                                @DefaultValue Map<String, @Valid Limit> endpoints) {

    /** One endpoint's limit. */
    public record Limit(@DecimalMin("0.001") double requestsPerSecond, @Min(1) long burst) {
    }

    /** The bucket of the endpoint with this operation id. */
    BucketLimits limitsOf(String operationId) {
        Limit limit = endpoints.get(operationId);
        return limit == null ? new BucketLimits(burst, requestsPerSecond)
                : new BucketLimits(limit.burst(), limit.requestsPerSecond());
    }
}
