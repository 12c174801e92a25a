package io.qnsp.kpi.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/** Documents the 500 of spec 000's error table on every endpoint of the API. */
@Component
class ErrorTableDocumentation implements OperationCustomizer {

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        if (!KpiApi.serves(handlerMethod)) {
            return operation;
        }
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        operation.getResponses().addApiResponse("500", new ApiResponse()
                .description("internal_error: an unexpected failure; the answer reveals nothing of it"));
        return operation;
    }
}
