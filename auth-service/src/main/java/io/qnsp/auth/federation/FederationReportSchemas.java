package io.qnsp.auth.federation;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shapes of a report's summary in the service's API document. A report's {@code data} and its JSON download are
 * one of {@link ActivityReport}, {@link SecurityReport} or {@link ComplianceReport} (told apart by their sections);
 * the controller holds them as the JSON read back from the database, so the schemas are taken from the records that
 * wrote it.
 */
@Component
public class FederationReportSchemas implements OpenApiCustomizer {

    /** The summary of a completed report: the JSON download. */
    public static final String SUMMARY = "FederationReportSummary";
    public static final String SUMMARY_REF = Components.COMPONENTS_SCHEMAS_REF + SUMMARY;
    /** A report's {@code data}: its summary, or {@code null} until it is completed. */
    public static final String DATA = "FederationReportData";
    public static final String DATA_REF = Components.COMPONENTS_SCHEMAS_REF + DATA;

    private static final List<Class<? extends ReportSummary>> SUMMARIES = List.of(ActivityReport.class,
            SecurityReport.class, ComplianceReport.class);

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        Components components = openApi.getComponents();
        List<Schema> summaries = new ArrayList<>();
        for (Class<? extends ReportSummary> type : SUMMARIES) {
            // through the converters springdoc registered, so records are documented as everywhere else
            ResolvedSchema resolved = ModelConverters.getInstance().readAllAsResolvedSchema(new AnnotatedType(type));
            resolved.referencedSchemas.forEach((name, schema) -> {
                if (components.getSchemas() == null || !components.getSchemas().containsKey(name)) {
                    components.addSchemas(name, schema);
                }
            });
            summaries.add(new Schema<>().$ref(Components.COMPONENTS_SCHEMAS_REF + type.getSimpleName()));
        }
        components.addSchemas(SUMMARY, new ComposedSchema().oneOf(summaries)
                .description("A report's summary; its sections depend on reportType."));
        // OpenAPI 3.0 applies nullable only beside a type, never to a oneOf: null is an alternative of its own
        List<Schema> summaryOrNull = new ArrayList<>(summaries);
        summaryOrNull.add(new ObjectSchema().nullable(true)._enum(Arrays.asList((Object) null))
                .description("No summary yet: the report is pending or failed."));
        components.addSchemas(DATA, new ComposedSchema().oneOf(summaryOrNull)
                .description("The report's summary once it is completed, otherwise null."));
    }
}
