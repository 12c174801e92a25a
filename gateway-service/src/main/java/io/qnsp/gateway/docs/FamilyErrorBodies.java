package io.qnsp.gateway.docs;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error body the gateway answers with on a path, as the platform documents it: the path's API family (the
 * gateway's {@code qnsp.errors} settings, which its error writer follows too) decides it, and common-lib names and
 * defines the schema. Asked of the platform's own document conventions, by letting them document one failure per
 * path of a probe document, so that the gateway neither repeats the shapes nor the naming.
 */
final class FamilyErrorBodies {

    /** For each path the reference of its error schema, and the schemas these need. */
    record Bodies(Map<String, String> refs, ObjectNode schemas) {
    }

    private static final String PROBE_STATUS = "503";

    private final GlobalOpenApiCustomizer platformConventions;
    private final JsonMapper json = JsonMapper.shared();

    FamilyErrorBodies(GlobalOpenApiCustomizer platformConventions) {
        this.platformConventions = platformConventions;
    }

    Bodies of(Collection<String> paths) {
        OpenAPI probe = new OpenAPI().components(new Components()).paths(new Paths());
        for (String path : paths) {
            probe.getPaths().addPathItem(path, new PathItem().get(new Operation()
                    .security(new ArrayList<>())
                    .responses(new ApiResponses().addApiResponse(PROBE_STATUS, new ApiResponse().description("")))));
        }
        platformConventions.customise(probe);
        Map<String, String> refs = new LinkedHashMap<>();
        probe.getPaths().forEach((path, item) -> {
            ApiResponse response = item.getGet().getResponses().get(PROBE_STATUS);
            String ref = response.getContent() == null ? null : response.getContent().values().stream()
                    .map(MediaType::getSchema).filter(schema -> schema != null && schema.get$ref() != null)
                    .map(Schema::get$ref).findFirst().orElse(null);
            if (ref == null) {
                throw new IllegalStateException("the platform's conventions documented no error body for " + path);
            }
            refs.put(path, ref);
        });
        JsonNode schemas = probe.getComponents().getSchemas() == null ? json.createObjectNode()
                : json.readTree(Json.pretty(probe.getComponents().getSchemas()));
        return new Bodies(refs, (ObjectNode) schemas);
    }
}
