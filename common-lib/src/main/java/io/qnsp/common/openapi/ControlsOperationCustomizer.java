package io.qnsp.common.openapi;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.envelope.Paged;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpEntity;
import org.springframework.web.method.HandlerMethod;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries what a handler method declares beyond its mapping into its operation: the scopes and roles of its
 * {@link RequiredControls} (as {@code x-required-scopes} and {@code x-required-roles}, and in the description), its
 * {@link FailureResponse}s, and,
 * for the document-wide conventions applied later by {@link PlatformDocumentCustomizer}, whether it answers a
 * {@link Paged} list.
 */
final class ControlsOperationCustomizer implements GlobalOperationCustomizer {

    /** Internal marks read by {@link PlatformDocumentCustomizer}, removed before the document is served. */
    static final String MARK_ADMIN = "x-qnsp-admin";
    static final String MARK_AUTHORIZED = "x-qnsp-authorized";
    static final String MARK_QUOTA = "x-qnsp-quota";
    static final String MARK_PAGED = "x-qnsp-paged";
    static final String MARK_HANDLER = "x-qnsp-handler";
    static final String MARK_CALLER = "x-qnsp-caller";
    /** On a response: its content was written out in an {@code @ApiResponse}, so it stands as it is. */
    static final String MARK_DECLARED_CONTENT = "x-qnsp-declared-content";
    static final List<String> MARKS = List.of(MARK_ADMIN, MARK_AUTHORIZED, MARK_QUOTA, MARK_PAGED, MARK_HANDLER,
            MARK_CALLER);

    static final String SCOPES = "x-required-scopes";
    static final String ROLES = "x-required-roles";

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        RequiredControls controls = AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(),
                RequiredControls.class);
        if (controls != null) {
            List<String> roles = new ArrayList<>(List.of(controls.roles()));
            if (controls.admin()) {
                roles.addFirst("admin");
                mark(operation, MARK_ADMIN);
            }
            List<String> requirements = new ArrayList<>();
            if (controls.scopes().length > 0) {
                operation.addExtension(SCOPES, List.of(controls.scopes()));
                requirements.add("scopes " + String.join(", ", controls.scopes()));
            }
            if (!roles.isEmpty()) {
                operation.addExtension(ROLES, roles);
                requirements.add("roles " + String.join(", ", roles));
            }
            if (!controls.addOn().isEmpty()) {
                operation.addExtension("x-required-add-on", controls.addOn());
                requirements.add("the tenant add-on " + controls.addOn());
            }
            if (!requirements.isEmpty()) {
                mark(operation, MARK_AUTHORIZED);
                String line = "Requires " + String.join("; ", requirements) + ".";
                operation.setDescription(operation.getDescription() == null ? line
                        : operation.getDescription() + "\n\n" + line);
            }
            if (!controls.quota().isEmpty()) {
                mark(operation, MARK_QUOTA);
            }
        }
        if (returnsPaged(handlerMethod)) {
            mark(operation, MARK_PAGED);
        }
        for (FailureResponse failure : AnnotatedElementUtils.findMergedRepeatableAnnotations(
                handlerMethod.getMethod(), FailureResponse.class, FailureResponses.class)) {
            if (failure.status() < 400 || failure.status() > 599) {
                throw new IllegalStateException(handlerMethod + ": @FailureResponse needs a 4xx or 5xx status, not "
                        + failure.status());
            }
            if (operation.getResponses() == null) {
                operation.setResponses(new ApiResponses());
            }
            // its content (the family's error body) is filled in with the others' by PlatformDocumentCustomizer
            operation.getResponses().addApiResponse(Integer.toString(failure.status()),
                    new ApiResponse().description(failure.description()));
        }
        for (io.swagger.v3.oas.annotations.responses.ApiResponse declared : AnnotatedElementUtils
                .findMergedRepeatableAnnotations(handlerMethod.getMethod(),
                        io.swagger.v3.oas.annotations.responses.ApiResponse.class,
                        io.swagger.v3.oas.annotations.responses.ApiResponses.class)) {
            ApiResponse response = operation.getResponses() == null ? null
                    : operation.getResponses().get(declared.responseCode());
            if (response != null && declared.content().length > 0) {
                response.addExtension(MARK_DECLARED_CONTENT, true);
            }
        }
        // the Caller is resolved from the authentication: without one, even a public path answers 401
        if (Arrays.stream(handlerMethod.getMethod().getParameterTypes()).anyMatch(Caller.class::equals)) {
            mark(operation, MARK_CALLER);
        }
        if (operation.getExtensions() == null) {
            operation.setExtensions(new LinkedHashMap<>());
        }
        operation.getExtensions().put(MARK_HANDLER, handlerMethod.getMethod().toGenericString());
        return operation;
    }

    private static void mark(Operation operation, String mark) {
        if (operation.getExtensions() == null) {
            operation.setExtensions(new LinkedHashMap<>());
        }
        operation.getExtensions().put(mark, true);
    }

    static boolean marked(Operation operation, String mark) {
        Map<String, Object> extensions = operation.getExtensions();
        return extensions != null && Boolean.TRUE.equals(extensions.get(mark));
    }

    private static boolean returnsPaged(HandlerMethod handlerMethod) {
        ResolvableType type = ResolvableType.forMethodReturnType(handlerMethod.getMethod());
        if (HttpEntity.class.isAssignableFrom(type.toClass())) {
            type = type.as(HttpEntity.class).getGeneric(0);
        }
        return Paged.class.isAssignableFrom(type.toClass());
    }
}
