package io.qnsp.kpi.idempotency;

import io.qnsp.common.web.RequestIds;
import io.qnsp.kpi.web.KpiApi;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/** Documents {@code X-Request-Id} as the idempotency key it is on every endpoint of the API, and its 409. */
@Component
class IdempotencyDocumentation implements OperationCustomizer {

    static final String CONFLICT = "version_conflict: the X-Request-Id was used for a different request (details."
            + "reason request_id_reused), or the same request is still being served (request_in_progress, with "
            + "Retry-After)";

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        if (!KpiApi.serves(handlerMethod)) {
            return operation;
        }
        operation.addParametersItem(new HeaderParameter().name(RequestIds.HEADER).required(false)
                .description("Idempotency key, per tenant: a request repeating the id, method, path, query and body "
                        + "of an earlier successful one gets its answer again (for 24 hours by default) without being "
                        + "served again")
                .schema(new StringSchema().pattern("^[A-Za-z0-9._:-]{1,128}$")));
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        operation.getResponses().forEach((code, response) -> {
            if (code.startsWith("2")) {
                response.addHeaderObject(IdempotentReplies.REPLAYED, new Header()
                        .description("true when this is the stored answer to an earlier request with the same "
                                + "X-Request-Id").schema(new StringSchema()._enum(java.util.List.of("true"))));
            }
        });
        ApiResponse conflict = operation.getResponses().get("409");
        if (conflict == null) {
            operation.getResponses().addApiResponse("409", new ApiResponse().description(CONFLICT));
        } else {
            conflict.setDescription(conflict.getDescription() + "; or " + CONFLICT);
        }
        return operation;
    }
}
