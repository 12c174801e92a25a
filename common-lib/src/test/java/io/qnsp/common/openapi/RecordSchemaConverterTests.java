package io.qnsp.common.openapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordSchemaConverterTests {

    record Inner(String value) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Sample(String name, @Nullable String description, int count, @Nullable Inner inner,
                  Map<String, Object> attributes, @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
                  JsonNode payload, List<String> tags,
                  @io.swagger.v3.oas.annotations.media.Schema(type = "object") JsonNode settings) {
    }

    private final Map<String, Schema> schemas = converters().readAll(new AnnotatedType(Sample.class));

    @Test
    void everyComponentIsRequiredAndNotNullableUnlessMarkedNullable() {
        Schema<?> sample = schemas.get("Sample");
        assertThat(sample.getRequired()).containsExactlyInAnyOrder("name", "count", "attributes", "payload", "tags",
                "settings");
        assertThat(property("name").getNullable()).isNull();
        assertThat(property("description").getNullable()).isTrue();
    }

    @Test
    void aNullableReferenceIsTheReferenceOrNullBecauseOpenApi30IgnoresSiblingsOfRef() {
        Schema<?> inner = property("inner");
        assertThat(inner.get$ref()).isNull();
        assertThat(inner.getAnyOf()).hasSize(2);
        assertThat(inner.getAnyOf().getFirst().get$ref()).isEqualTo("#/components/schemas/Inner");
        assertThat(Json.pretty(inner.getAnyOf().get(1))).contains("\"nullable\" : true").contains("\"enum\" : [ null ]");
    }

    @Test
    void aComponentLeftOutWhenNullIsOptionalButNeverNull() {
        assertThat(schemas.get("Sample").getRequired()).doesNotContain("secret");
        assertThat(property("secret").getNullable()).isNull();
    }

    @Test
    void objectValuesAndJsonTreesAreAnyJsonValue() {
        Schema<?> values = (Schema<?>) property("attributes").getAdditionalProperties();
        assertThat(values.getType()).isNull();
        assertThat(values.getTypes()).isNull();
        assertThat(property("payload").getType()).isNull();
        assertThat(property("payload").get$ref()).isNull();
        assertThat(schemas).doesNotContainKey("JsonNode");
        // what @Schema says stands
        assertThat(property("settings").getType()).isEqualTo("object");
        assertThat(Json.pretty(values)).doesNotContain("type");
    }

    private Schema<?> property(String name) {
        return (Schema<?>) schemas.get("Sample").getProperties().get(name);
    }

    private static ModelConverters converters() {
        ModelConverters converters = new ModelConverters();
        converters.addConverter(new RecordSchemaConverter());
        return converters;
    }
}
