package io.qnsp.gateway.ratelimit;

import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocAnnotationsUtils;
import org.springframework.core.Ordered;

import java.util.List;

/**
 * Documents {@code GET /api/v1/rate-limits/status} in the gateway's own OpenAPI document. It is a gateway route
 * answered by {@link RateLimitStatusRoute} (so that it passes authentication and the rate-limit filter like every
 * route), which springdoc does not see, so the operation is built here as the route answers: the DataHub envelope
 * around {@link RateLimitStatus}, for a caller with a JWT or an API key. Runs before the platform's conventions,
 * which then add the errors every secured operation has, in the DataHub format.
 */
final class RateLimitStatusDocumentation implements OpenApiCustomizer, Ordered {

    /** The component names of common-lib's DataHub envelope part. */
    private static final String META = "DataHubMeta";

    private final boolean suspensionApplies;

    /** @param suspensionApplies whether a suspended tenant's call to the status endpoint is refused */
    RateLimitStatusDocumentation(boolean suspensionApplies) {
        this.suspensionApplies = suspensionApplies;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        if (openApi.getPaths() == null) {
            openApi.setPaths(new Paths());
        }
        Schema<?> data = SpringDocAnnotationsUtils.extractSchema(openApi.getComponents(), RateLimitStatus.class, null,
                null, SpecVersion.V30);
        Schema<Object> envelope = new ObjectSchema();
        envelope.addProperty("success", new BooleanSchema()._enum(List.of(true)));
        envelope.addProperty("data", data);
        envelope.addProperty("meta", new Schema<>().$ref(Components.COMPONENTS_SCHEMAS_REF + META));
        envelope.setRequired(List.of("success", "data", "meta"));

        ApiResponse ok = new ApiResponse()
                .description("The caller's windows; looking does not count against them")
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                        new MediaType().schema(envelope)))
                .addHeaderObject(RateLimitHeaders.LIMIT, header("The tightest window's limit"))
                .addHeaderObject(RateLimitHeaders.REMAINING, header("Requests left in the tightest window"))
                .addHeaderObject(RateLimitHeaders.RESET, header("Unix time (seconds) the tightest window is full "
                        + "again"));
        Operation operation = new Operation()
                .addTagsItem("Rate limits")
                .operationId("getRateLimitStatus")
                .summary("The calling key's rate-limit windows")
                .description("Each window the caller's limits have (per minute, hour and day) with its limit, the "
                        + "requests left and the Unix time it is full again. Looking is never refused by the limits "
                        + "and costs nothing.")
                .security(List.of(new SecurityRequirement().addList(OpenApiAutoConfiguration.BEARER_JWT),
                        new SecurityRequirement().addList(OpenApiAutoConfiguration.API_KEY)))
                .responses(new ApiResponses()
                        .addApiResponse("200", ok)
                        .addApiResponse("401", new ApiResponse().description("No valid credentials: no API key or "
                                + "token, or one that is invalid, expired or revoked"))
                        .addApiResponse("503", new ApiResponse().description("The limits cannot be read (Redis is "
                                + "unreachable and the limiter fails closed), or an API key cannot be verified")));
        if (suspensionApplies) {
            operation.getResponses().addApiResponse("403", new ApiResponse().description("The caller's tenant is "
                    + "suspended or cancelled for billing (TENANT_SUSPENDED)"));
        }
        openApi.getPaths().addPathItem(RateLimitStatusRoute.PATH, new PathItem().get(operation));
    }

    private static Header header(String description) {
        return new Header().description(description).schema(new IntegerSchema().format("int64"));
    }
}
