package io.qnsp.kpi.ratelimit;

import io.qnsp.common.ratelimit.BucketLimits;
import io.qnsp.kpi.web.KpiApi;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Documents each endpoint's rate limit, as spec 000 asks ("documented per endpoint"), from the settings in force:
 * the {@code x-rate-limit} extension, a sentence in the description, and the 429 and 503 answers.
 */
@Component
class RateLimitDocumentation implements OperationCustomizer {

    private final RateLimitSettings settings;

    RateLimitDocumentation(RateLimitSettings settings) {
        this.settings = settings;
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        if (!KpiApi.serves(handlerMethod)) {
            return operation;
        }
        String endpoint = TenantRateLimits.endpointOf(handlerMethod.getMethod());
        BucketLimits limits = settings.limitsOf(endpoint);
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("requestsPerSecond", limits.tokensPerSecond());
        limit.put("burst", limits.capacity());
        limit.put("per", "tenant");
        operation.addExtension("x-rate-limit", limit);
        String sentence = "Rate limit: " + format(limits.tokensPerSecond()) + " requests per second per tenant, "
                + "bursts of " + limits.capacity() + ".";
        operation.setDescription(operation.getDescription() == null ? sentence
                : operation.getDescription() + " " + sentence);
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        operation.getResponses().addApiResponse("429", new ApiResponse()
                .description("rate_limited: the tenant's requests to this endpoint exceed its rate limit")
                .addHeaderObject("Retry-After", new Header().description("Seconds until a request is admitted again")
                        .schema(new IntegerSchema())));
        operation.getResponses().addApiResponse("503", new ApiResponse()
                .description("dependency_down: the rate limits cannot be read (Redis away, limiter failing closed)"));
        return operation;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
