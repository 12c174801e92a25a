package io.qnsp.common.error;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.ConversionNotSupportedException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.BindException;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestCookieException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns any failure into the {@link ApiError} the caller sees. Client mistakes name the offending field; anything
 * unexpected becomes a 500 whose text reveals nothing (the stack trace goes to the log instead).
 */
final class FailureTranslator {

    private static final Logger log = LoggerFactory.getLogger(FailureTranslator.class);

    static final String BODY = "body";
    static final String DATABASE_DOWN = "dependency_down";
    private static final String DATABASE_RETRY_AFTER_SECONDS = "2";

    private final JsonMapper jsonMapper;

    FailureTranslator(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The error with any headers it needs (e.g. {@code Allow} on a 405). */
    record Translation(ApiError error, HttpHeaders headers) {

        Translation(ApiError error) {
            this(error, HttpHeaders.EMPTY);
        }
    }

    Translation translate(Throwable failure) {
        Translation translation = classify(failure);
        SQLException unreachable = DatabaseUnreachable.cause(failure);
        if (unreachable != null && translation.error().code().equals(DATABASE_DOWN)) {
            // one line per refused request while the database is away, not a stack trace each (another service
            // being down, DependencyDown, shares the code and keeps its own logging below)
            log.warn("Request answered 503 {}: the database cannot be reached ({})", DATABASE_DOWN,
                    String.valueOf(unreachable));
        } else if (translation.error().status().is5xxServerError()) {
            log.error("Request failed with {}: {}", translation.error().status().value(), translation.error().code(),
                    failure);
        } else if (log.isDebugEnabled()) {
            // the failure's own text may quote the request (a JSON token that does not parse can be a secret): only
            // its type and the translated message, which never carries input, are logged
            log.debug("Request rejected with {} ({}): {}", translation.error().status().value(),
                    failure.getClass().getSimpleName(), translation.error().message());
        }
        return translation;
    }

    private Translation classify(Throwable failure) {
        return switch (failure) {
            case ApiException e -> new Translation(ApiError.of(e), e.headers());
            case MethodArgumentTypeMismatchException e -> typeMismatch(e.getName(), e.getRequiredType(), e.getValue());
            case ConversionNotSupportedException e -> internal();
            case TypeMismatchException e -> typeMismatch(e.getPropertyName(), e.getRequiredType(), e.getValue());
            case BindException e -> new Translation(fieldErrors(e.getBindingResult()));
            case HandlerMethodValidationException e -> methodValidation(e);
            case ConstraintViolationException e -> new Translation(constraintViolations(e));
            case HttpMessageNotReadableException e -> unreadable(e);
            case MissingServletRequestParameterException e -> missing(e.getParameterName(), "query parameter");
            case MissingPathVariableException e -> e.isMissingAfterConversion()
                    ? missing(e.getVariableName(), "path variable") : internal();
            case MissingRequestHeaderException e -> missing(e.getHeaderName(), "header");
            case MissingRequestCookieException e -> missing(e.getCookieName(), "cookie");
            case MissingServletRequestPartException e -> missing(e.getRequestPartName(), "request part");
            case HttpMediaTypeNotSupportedException e -> new Translation(new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                    "The request's content type is not supported",
                    Map.of("supported", e.getSupportedMediaTypes().stream().map(Object::toString).toList())),
                    e.getHeaders());
            case HttpMediaTypeNotAcceptableException e -> new Translation(new ApiError(HttpStatus.NOT_ACCEPTABLE,
                    ErrorCodes.NOT_ACCEPTABLE, "No acceptable representation is available",
                    Map.of("supported", e.getSupportedMediaTypes().stream().map(Object::toString).toList())));
            case NoHandlerFoundException e -> status(HttpStatus.NOT_FOUND, e.getHeaders());
            case NoResourceFoundException e -> status(HttpStatus.NOT_FOUND, e.getHeaders());
            case MaxUploadSizeExceededException e -> new Translation(new ApiError(HttpStatus.CONTENT_TOO_LARGE,
                    ErrorCodes.PAYLOAD_TOO_LARGE, "The request body is too large", Map.of("field", BODY)));
            case OAuth2AuthenticationException e -> new Translation(ApiError.of(HttpStatus.UNAUTHORIZED,
                    ErrorCodes.INVALID_TOKEN, "The access token is invalid or expired"));
            case AuthenticationException e -> new Translation(ApiError.of(HttpStatus.UNAUTHORIZED,
                    ErrorCodes.UNAUTHORIZED, "Authentication is required"));
            case AccessDeniedException e -> isAnonymous(SecurityContextHolder.getContext().getAuthentication())
                    ? new Translation(ApiError.of(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED,
                            "Authentication is required"))
                    : new Translation(ApiError.of(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
                            "Access to this resource is forbidden"));
            case RequestRejectedException e -> new Translation(ApiError.of(HttpStatus.BAD_REQUEST,
                    ErrorCodes.INVALID_REQUEST, "The request URL is not acceptable"));
            case AsyncRequestTimeoutException e -> status(HttpStatus.SERVICE_UNAVAILABLE, HttpHeaders.EMPTY);
            case ErrorResponse e -> fromErrorResponse(e);
            default -> otherwise(failure);
        };
    }

    private Translation otherwise(Throwable failure) {
        ApiException wrapped = find(failure, ApiException.class);
        if (wrapped != null) {
            return new Translation(ApiError.of(wrapped));
        }
        if (DatabaseUnreachable.cause(failure) != null) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS);
            return new Translation(new ApiError(HttpStatus.SERVICE_UNAVAILABLE, DATABASE_DOWN,
                    "The service's database cannot be reached; nothing was changed, try again later",
                    Map.of("dependency", "postgresql")), headers);
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(failure.getClass(), ResponseStatus.class);
        if (annotated != null) {
            HttpStatus status = annotated.code();
            String message = status.is4xxClientError() && !annotated.reason().isBlank()
                    ? annotated.reason() : ErrorCodes.messageForStatus(status);
            return new Translation(ApiError.of(status, ErrorCodes.forStatus(status), message));
        }
        if (find(failure, IllegalStateException.class) instanceof IllegalStateException state
                && state.getClass().getName().equals("org.apache.tomcat.util.http.InvalidParameterException")) {
            // query or form parameters that do not decode (a broken %-escape, a byte sequence that is no UTF-8)
            return new Translation(validation(List.of(new FieldProblem("parameters", "do not decode")), Map.of()));
        }
        java.sql.SQLException sql = find(failure, java.sql.SQLException.class);
        if (sql != null && UNSTORABLE_CHARACTER_STATES.contains(sql.getSQLState())) {
            // a NUL in text or JSON that no check before the database caught: the caller's input, not our failure
            return new Translation(validation(List.of(new FieldProblem("request",
                    "contains a character that cannot be stored (NUL)")), Map.of()));
        }
        return internal();
    }

    /** PostgreSQL's {@code character_not_in_repertoire} (NUL in text) and {@code untranslatable_character} (JSON). */
    private static final java.util.Set<String> UNSTORABLE_CHARACTER_STATES = java.util.Set.of("22021", "22P05");

    private static Translation fromErrorResponse(ErrorResponse response) {
        HttpStatusCode status = response.getStatusCode();
        String message = ErrorCodes.messageForStatus(status);
        if (status.is4xxClientError() && response instanceof ResponseStatusException rse && rse.getReason() != null
                && !rse.getReason().isBlank()) {
            message = rse.getReason();
        }
        return new Translation(ApiError.of(status, ErrorCodes.forStatus(status), message), response.getHeaders());
    }

    private static Translation status(HttpStatusCode status, HttpHeaders headers) {
        return new Translation(ApiError.of(status, ErrorCodes.forStatus(status), ErrorCodes.messageForStatus(status)),
                headers);
    }

    static Translation internal() {
        return new Translation(ApiError.of(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                "An unexpected error occurred"));
    }

    private static boolean isAnonymous(Authentication authentication) {
        return authentication == null || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated();
    }

    // ---- request parameters ----

    private static Translation missing(String name, String kind) {
        return new Translation(validation(List.of(new FieldProblem(name, "is required")),
                Map.of("location", kind)));
    }

    private Translation typeMismatch(String name, Class<?> requiredType, Object value) {
        String field = name == null || name.isBlank() ? "parameter" : name;
        Map<String, Object> extra = new LinkedHashMap<>();
        if (requiredType != null && requiredType.isEnum()) {
            extra.put("allowedValues", enumNames(requiredType));
        }
        return new Translation(validation(List.of(new FieldProblem(field, expectation(requiredType, false))), extra));
    }

    // ---- bean validation ----

    private static ApiError fieldErrors(BindingResult result) {
        List<String> order = declarationOrder(result.getTarget() == null ? null : result.getTarget().getClass());
        List<FieldProblem> problems = new ArrayList<>();
        for (ObjectError error : result.getAllErrors()) {
            if (error instanceof FieldError fieldError) {
                String message = fieldError.isBindingFailure()
                        ? "has an invalid value" : defaultMessage(fieldError);
                problems.add(new FieldProblem(fieldError.getField(), message));
            } else {
                problems.add(new FieldProblem(BODY, defaultMessage(error)));
            }
        }
        problems.sort(byDeclaration(order));
        return validation(problems, Map.of());
    }

    private Translation methodValidation(HandlerMethodValidationException exception) {
        if (exception.isForReturnValue()) {
            return internal();
        }
        List<FieldProblem> problems = new ArrayList<>();
        List<ParameterValidationResult> results = new ArrayList<>(exception.getParameterValidationResults());
        results.sort(Comparator.comparingInt(r -> r.getMethodParameter().getParameterIndex()));
        for (ParameterValidationResult result : results) {
            if (result instanceof ParameterErrors errors && errors.hasFieldErrors()) {
                List<String> order = declarationOrder(errors.getArgument() == null ? null : errors.getArgument().getClass());
                List<FieldProblem> nested = new ArrayList<>();
                String prefix = containerPrefix(result);
                for (FieldError fieldError : errors.getFieldErrors()) {
                    nested.add(new FieldProblem(prefix + fieldError.getField(), defaultMessage(fieldError)));
                }
                nested.sort(byDeclaration(order));
                problems.addAll(nested);
                for (ObjectError global : errors.getGlobalErrors()) {
                    problems.add(new FieldProblem(prefix.isEmpty() ? BODY : prefix.substring(0, prefix.length() - 1),
                            defaultMessage(global)));
                }
            } else {
                String name = parameterName(result.getMethodParameter()) + containerSuffix(result);
                for (MessageSourceResolvable error : result.getResolvableErrors()) {
                    problems.add(new FieldProblem(name, defaultMessage(error)));
                }
            }
        }
        if (problems.isEmpty()) {
            for (MessageSourceResolvable error : exception.getCrossParameterValidationResults()) {
                problems.add(new FieldProblem("parameters", defaultMessage(error)));
            }
        }
        if (problems.isEmpty()) {
            problems.add(new FieldProblem(BODY, "is invalid"));
        }
        return new Translation(validation(problems, Map.of()));
    }

    private static String containerPrefix(ParameterValidationResult result) {
        if (result.getContainerIndex() != null) {
            return "[" + result.getContainerIndex() + "].";
        }
        if (result.getContainerKey() != null) {
            return "[" + result.getContainerKey() + "].";
        }
        return "";
    }

    private static String containerSuffix(ParameterValidationResult result) {
        if (result.getContainerIndex() != null) {
            return "[" + result.getContainerIndex() + "]";
        }
        if (result.getContainerKey() != null) {
            return "[" + result.getContainerKey() + "]";
        }
        return "";
    }

    /** The name the caller used: a query parameter's, a path variable's or a header's, else the Java name. */
    static String parameterName(MethodParameter parameter) {
        RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
        if (requestParam != null && !requestParam.name().isBlank()) {
            return requestParam.name();
        }
        PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
        if (pathVariable != null && !pathVariable.name().isBlank()) {
            return pathVariable.name();
        }
        RequestHeader requestHeader = parameter.getParameterAnnotation(RequestHeader.class);
        if (requestHeader != null && !requestHeader.name().isBlank()) {
            return requestHeader.name();
        }
        CookieValue cookieValue = parameter.getParameterAnnotation(CookieValue.class);
        if (cookieValue != null && !cookieValue.name().isBlank()) {
            return cookieValue.name();
        }
        RequestPart requestPart = parameter.getParameterAnnotation(RequestPart.class);
        if (requestPart != null && !requestPart.name().isBlank()) {
            return requestPart.name();
        }
        String name = parameter.getParameterName();
        return name == null ? "arg" + parameter.getParameterIndex() : name;
    }

    private static ApiError constraintViolations(ConstraintViolationException exception) {
        List<FieldProblem> problems = new ArrayList<>();
        for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
            problems.add(new FieldProblem(violationPath(violation.getPropertyPath()), violation.getMessage()));
        }
        problems.sort(Comparator.comparing(FieldProblem::field));
        if (problems.isEmpty()) {
            problems.add(new FieldProblem(BODY, "is invalid"));
        }
        return validation(problems, Map.of());
    }

    /** The path below the method and parameter nodes, e.g. {@code request.limits.burstCapacity}. */
    private static String violationPath(Path path) {
        StringBuilder name = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR
                    || node.getKind() == ElementKind.RETURN_VALUE || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getIndex() != null) {
                name.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                name.append('[').append(node.getKey()).append(']');
            }
            if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(node.getName());
            }
        }
        return name.isEmpty() ? BODY : name.toString();
    }

    // ---- unreadable bodies ----

    private Translation unreadable(HttpMessageNotReadableException exception) {
        ApiException wrapped = find(exception, ApiException.class);
        if (wrapped != null) {
            return new Translation(ApiError.of(wrapped));
        }
        JacksonException jackson = find(exception, JacksonException.class);
        if (jackson != null) {
            return new Translation(json(jackson));
        }
        String message = exception.getMessage();
        if (message != null && message.startsWith("Required request body is missing")) {
            return new Translation(validation(List.of(new FieldProblem(BODY, "is required")), Map.of()));
        }
        return new Translation(validation(List.of(new FieldProblem(BODY, "could not be read")), Map.of()));
    }

    private ApiError json(JacksonException exception) {
        if (exception instanceof StreamReadException) {
            Map<String, Object> extra = new LinkedHashMap<>();
            TokenStreamLocation location = exception.getLocation();
            if (location != null && location.getLineNr() > 0) {
                extra.put("line", location.getLineNr());
                extra.put("column", location.getColumnNr());
            }
            return validation(List.of(new FieldProblem(BODY, "is not well-formed JSON")), extra);
        }
        String path = jsonPath(exception.getPath());
        String field = path.isEmpty() ? BODY : path;
        return switch (exception) {
            case UnrecognizedPropertyException e -> validation(
                    List.of(new FieldProblem(field, "is not a recognized field")), Map.of());
            case InvalidTypeIdException e -> validation(List.of(new FieldProblem(field, "has an unknown type")),
                    Map.of());
            case MismatchedInputException e -> {
                Class<?> target = e.getTargetType();
                Map<String, Object> extra = new LinkedHashMap<>();
                if (target != null && target.isEnum()) {
                    extra.put("allowedValues", jsonEnumValues(target));
                }
                JsonToken token = e.getCurrentToken();
                // a creator property that never came leaves the parser at the end of its object
                String problem = token == JsonToken.VALUE_NULL ? "must not be null"
                        : token == JsonToken.END_OBJECT ? "is required"
                        : expectation(target, true);
                yield validation(List.of(new FieldProblem(field, problem)), extra);
            }
            default -> validation(List.of(new FieldProblem(field, "has an invalid value")), Map.of());
        };
    }

    static String jsonPath(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private List<String> jsonEnumValues(Class<?> enumType) {
        List<String> values = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            String value;
            try {
                value = String.valueOf(jsonMapper.convertValue(constant, Object.class));
            } catch (RuntimeException e) {
                value = ((Enum<?>) constant).name();
            }
            values.add(value);
        }
        return values;
    }

    private static List<String> enumNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
    }

    /** What a value of the type looks like, as a caller would read it. */
    private String expectation(Class<?> type, boolean json) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type.isEnum()) {
            return "must be one of " + (json ? jsonEnumValues(type) : enumNames(type));
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be a boolean";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class) {
            return "must be an integer";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class
                || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
            return "must be a number";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "must be a string";
        }
        if (type == UUID.class) {
            return "must be a UUID";
        }
        if (type.getPackageName().equals("java.time")) {
            return "must be an ISO-8601 date or time";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        return json ? "must be an object" : "has an invalid value";
    }

    // ---- shared ----

    record FieldProblem(String field, String message) {
    }

    /** A 400 naming the first offending field and listing all of them. */
    static ApiError validation(List<FieldProblem> problems, Map<String, Object> extra) {
        FieldProblem first = problems.getFirst();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", first.field());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FieldProblem problem : problems) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("field", problem.field());
            entry.put("message", problem.message());
            fields.add(entry);
        }
        details.put("fields", fields);
        details.putAll(extra);
        String message = "Validation failed: " + first.field() + " " + first.message();
        return new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, message, details);
    }

    private static String defaultMessage(MessageSourceResolvable error) {
        String message = error.getDefaultMessage();
        return message == null || message.isBlank() ? "is invalid" : message;
    }

    /** Orders problems as the fields are declared on the request type, so "the first offending field" is stable. */
    private static Comparator<FieldProblem> byDeclaration(List<String> order) {
        return Comparator.<FieldProblem>comparingInt(p -> {
            int index = order.indexOf(root(p.field()));
            return index < 0 ? Integer.MAX_VALUE : index;
        }).thenComparing(FieldProblem::field);
    }

    private static String root(String path) {
        int end = path.length();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '.' || c == '[') {
                end = i;
                break;
            }
        }
        return path.substring(0, end);
    }

    private static List<String> declarationOrder(Class<?> type) {
        if (type == null) {
            return List.of();
        }
        if (type.isRecord()) {
            return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        }
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.addFirst(c);
        }
        List<String> names = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    names.add(field.getName());
                }
            }
        }
        return names;
    }

    static <T> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
