package io.qnsp.gateway.ratelimit;

import io.qnsp.gateway.authentication.PublicPaths;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.Ordered;

/**
 * Documents the per-address limit ({@link PublicPathLimit}) on the gateway's own operations that need no
 * credentials (health, API documents): a 429 with {@code Retry-After}. Runs before the platform's conventions, which
 * give the response the path's error body.
 */
final class PublicPathLimitDocumentation implements OpenApiCustomizer, Ordered {

    private final PublicPaths publicPaths;
    private final boolean enabled;

    /** @param enabled whether the limit is on; one that is off is not documented */
    PublicPathLimitDocumentation(PublicPaths publicPaths, boolean enabled) {
        this.publicPaths = publicPaths;
        this.enabled = enabled;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (!enabled || openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> {
            if (publicPaths.matches(path)) {
                item.readOperations().forEach(PublicPathLimitDocumentation::limited);
            }
        });
    }

    private static void limited(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        if (!operation.getResponses().containsKey("429")) {
            operation.getResponses().addApiResponse("429", new ApiResponse()
                    .description("Too many requests from the caller's address: the per-address limit on paths open "
                            + "without credentials")
                    .addHeaderObject("Retry-After", new Header().required(true)
                            .description("Seconds until the request may be sent again")
                            .schema(new IntegerSchema().format("int64"))));
        }
    }
}
