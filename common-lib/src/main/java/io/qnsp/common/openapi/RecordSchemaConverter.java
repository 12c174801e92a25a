package io.qnsp.common.openapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a schema say what the JSON holds. A record's components are all {@code required} and not nullable, unless
 * marked {@link Nullable}, which makes them nullable and optional: the platform writes every component of a
 * response record, {@code null} or not, so this is what a client receives, and for a request record it is what the
 * service insists on; a client generator then types {@code string} and {@code string | null} correctly instead of
 * making every field optional. A value declared as {@code Object} (a map's values, say) is any JSON value, not only
 * an object as swagger-core would have it, and so is a Jackson tree ({@code JsonNode}).
 */
final class RecordSchemaConverter implements ModelConverter {

    @Override
    public Schema<?> resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        Class<?> raw = rawClass(type);
        if (raw == Object.class || isJsonTree(raw)) {
            return anyValue();
        }
        if (!chain.hasNext()) {
            return null;
        }
        Schema<?> schema = chain.next().resolve(type, context, chain);
        if (schema == null || raw == null || !raw.isRecord()) {
            return schema;
        }
        Schema<?> model = schema;
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            model = context.getDefinedModels().get(name);
        }
        if (model != null && model.getProperties() != null) {
            describe(model, raw);
        }
        return schema;
    }

    private static Class<?> rawClass(AnnotatedType type) {
        if (type.getType() == null) {
            return null;
        }
        try {
            JavaType javaType = type.getType() instanceof JavaType known ? known
                    : TypeFactory.defaultInstance().constructType(type.getType());
            return javaType.getRawClass();
        } catch (RuntimeException unresolvable) {
            return null;
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void describe(Schema<?> model, Class<?> record) {
        Map<String, Schema> properties = model.getProperties();
        Set<String> required = new LinkedHashSet<>(model.getRequired() == null ? List.of() : model.getRequired());
        boolean omitsEmpty = omitsEmpty(record.getAnnotation(JsonInclude.class));
        for (RecordComponent component : record.getRecordComponents()) {
            String name = jsonName(component);
            Schema property = properties.get(name);
            if (property == null) {
                continue;
            }
            // an annotation on a record component lands on its field, accessor and constructor parameter
            JsonInclude inclusion = component.getAccessor().getAnnotation(JsonInclude.class);
            boolean mayBeLeftOut = inclusion != null ? omitsEmpty(inclusion) : omitsEmpty;
            if (!declaresSchema(record, component)) {
                property = withAnyValues(property, component.getGenericType());
            }
            properties.put(name, property);
            if (isNullable(component)) {
                required.remove(name);
                // a value left out when null is never sent as null
                properties.put(name, mayBeLeftOut ? property : nullable(property));
            } else if (mayBeLeftOut) {
                required.remove(name);
            } else {
                required.add(name);
            }
        }
        model.setRequired(required.isEmpty() ? null : new ArrayList<>(required));
    }

    /** Whether the component's schema is written out with {@code @Schema}, which then stands as it is. */
    private static boolean declaresSchema(Class<?> record, RecordComponent component) {
        if (component.getAccessor().isAnnotationPresent(io.swagger.v3.oas.annotations.media.Schema.class)) {
            return true;
        }
        try {
            return record.getDeclaredField(component.getName())
                    .isAnnotationPresent(io.swagger.v3.oas.annotations.media.Schema.class);
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    /** A schema allowing any JSON value: no type at all. */
    private static Schema<?> anyValue() {
        return new Schema<>().description("Any JSON value");
    }

    private static boolean isJsonTree(Class<?> raw) {
        for (Class<?> type = raw; type != null; type = type.getSuperclass()) {
            if (type.getName().equals("tools.jackson.databind.JsonNode")
                    || type.getName().equals("com.fasterxml.jackson.databind.JsonNode")) {
                return true;
            }
        }
        return false;
    }

    /**
     * swagger-core types an {@code Object} (or a Jackson tree) it meets as a property, a map's value or a list's
     * item itself, as {@code object}, without asking the converters; the component's Java type says what it is.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema withAnyValues(Schema property, Type type) {
        if (isAny(type)) {
            return anyValue();
        }
        if (!(type instanceof ParameterizedType parameterized)) {
            return property;
        }
        Type[] arguments = parameterized.getActualTypeArguments();
        Class<?> raw = parameterized.getRawType() instanceof Class<?> known ? known : Object.class;
        if (Map.class.isAssignableFrom(raw) && arguments.length == 2 && isAny(arguments[1])
                && property.getAdditionalProperties() instanceof Schema) {
            property.setAdditionalProperties(anyValue());
        } else if (Collection.class.isAssignableFrom(raw) && arguments.length == 1 && isAny(arguments[0])
                && property.getItems() != null) {
            property.setItems(anyValue());
        }
        return property;
    }

    private static boolean isAny(Type type) {
        if (type instanceof WildcardType wildcard) {
            Type[] upper = wildcard.getUpperBounds();
            return upper.length == 0 || isAny(upper[0]);
        }
        return type == Object.class || type instanceof Class<?> raw && isJsonTree(raw);
    }

    /**
     * In OpenAPI 3.0 a keyword beside {@code $ref} is ignored, and {@code nullable} only counts beside a
     * {@code type}, so a nullable reference is "the referenced schema, or null" spelled out: validators and client
     * generators read it as {@code T | null}.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema nullable(Schema property) {
        if (property.get$ref() == null && property.getType() == null && property.getAllOf() == null
                && property.getAnyOf() == null && property.getOneOf() == null) {
            // any JSON value already includes null; nullable without a type means nothing in OpenAPI 3.0
            return property;
        }
        if (property.get$ref() == null) {
            return property.nullable(true);
        }
        Schema onlyNull = new Schema().type("object").nullable(true);
        onlyNull.setEnum(new ArrayList<>(Collections.singletonList(null)));
        Schema wrapper = new Schema();
        wrapper.setAnyOf(List.of(new Schema().$ref(property.get$ref()), onlyNull));
        return wrapper;
    }

    /** Whether Jackson leaves a value out of the JSON when it is null (or empty, or default). */
    private static boolean omitsEmpty(JsonInclude inclusion) {
        if (inclusion == null) {
            return false;
        }
        return switch (inclusion.value()) {
            case NON_NULL, NON_ABSENT, NON_EMPTY, NON_DEFAULT, CUSTOM -> true;
            default -> false;
        };
    }

    static boolean isNullable(RecordComponent component) {
        return component.getAnnotatedType().isAnnotationPresent(Nullable.class)
                || component.isAnnotationPresent(Nullable.class);
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty property = component.getAnnotation(JsonProperty.class);
        if (property == null && component.getAccessor() != null) {
            property = component.getAccessor().getAnnotation(JsonProperty.class);
        }
        return property != null && !property.value().isEmpty() ? property.value() : component.getName();
    }
}
