package io.qnsp.common.envelope;

import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The document common-lib's conventions make of a service (the same one as {@link DataHubEnvelopeHttpTests}, whose
 * answers the contract check holds to it): security, the families' error bodies, the DataHub envelope, operation
 * ids, and no framework internals.
 */
@SpringBootTest(classes = {HttpTestApplication.class, EnvelopeProbeController.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "qnsp.errors.family=qnsp",
                "qnsp.errors.path-families.datahub=/dh/**,/probe/filter-*,/actuator/**",
                "qnsp.security.public-paths=/dh/open/**,/plain/**,/probe/**"})
@EmbeddedInfrastructure
class OpenApiDocumentHttpTests {

    @LocalServerPort
    int port;

    private JsonNode document;

    @BeforeEach
    void loadDocument() {
        TestHttp.Response response = new TestHttp(port).get("/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        document = response.json();
    }

    @Test
    void theErrorPageAndTheInjectedCallerAreNoPartOfTheApi() {
        assertThat(document.at("/openapi").asString()).isEqualTo("3.0.1");
        assertThat(document.path("paths").has("/error")).isFalse();
        assertThat(document.findValues("name").stream().filter(JsonNode::isString).map(JsonNode::asString))
                .doesNotContain("caller");
        // it reads the caller, so even on a public path it can answer 401
        assertThat(operation("/probe/caller", "get").path("security").isEmpty()).isTrue();
        assertThat(operation("/probe/caller", "get").at("/responses/401/content/application~1json/schema/$ref")
                .asString()).isEqualTo("#/components/schemas/QnspError");
    }

    @Test
    void aSecuredOperationNamesItsSchemeAndItsFailuresInThePathsFamily() {
        JsonNode secured = operation("/dh/secure/item", "get");
        assertThat(secured.path("security").toString()).isEqualTo("[{\"bearerJwt\":[]}]");
        assertThat(secured.at("/responses/401/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/DataHubError");
        assertThat(operation("/plain/item", "get").at("/responses/406/content/application~1json/schema/$ref")
                .asString()).isEqualTo("#/components/schemas/QnspError");
        // a body an @ApiResponse wrote out stands, even on an error status
        assertThat(operation("/dh/open/refused", "get").at("/responses/409/content/application~1json/schema/type")
                .asString()).isEqualTo("object");
        JsonNode create = operation("/dh/open/items", "post");
        assertThat(fieldNames(create.path("responses"))).containsExactlyInAnyOrder("201", "400", "406", "413", "415");
        // no parameter to refuse, but the firewall refuses a malformed request anywhere
        assertThat(operation("/dh/open/nothing", "get").at("/responses/400/description").asString())
                .contains("firewall");
    }

    @Test
    void dataHubAnswersAreDocumentedInTheirEnvelopeAndPagesWithTheirPagination() {
        JsonNode page = operation("/dh/open/items", "get").at("/responses/200/content/application~1json/schema");
        assertThat(fieldNames(page.path("properties")))
                .containsExactlyInAnyOrder("success", "data", "pagination", "meta");
        assertThat(page.at("/properties/data/type").asString()).isEqualTo("array");
        assertThat(page.at("/properties/data/items/$ref").asString()).isEqualTo("#/components/schemas/Item");
        assertThat(page.at("/properties/pagination/$ref").asString())
                .isEqualTo("#/components/schemas/DataHubPagination");
        JsonNode item = operation("/dh/open/item", "get").at("/responses/200/content/application~1json/schema");
        assertThat(item.at("/properties/data/$ref").asString()).isEqualTo("#/components/schemas/Item");
        assertThat(item.at("/properties/meta/$ref").asString()).isEqualTo("#/components/schemas/DataHubMeta");
        // outside the DataHub family the page is the record itself
        JsonNode plain = operation("/plain/items", "get").at("/responses/200/content/application~1json/schema");
        assertThat(plain.at("/$ref").asString()).startsWith("#/components/schemas/Paged");
    }

    @Test
    void aHandlerOnSeveralPathsGetsOneIdPerPathAndUnusedSchemasAreLeftOut() {
        assertThat(operation("/dh/open/item", "get").path("operationId").asString()).isEqualTo("itemDhOpenItem");
        assertThat(operation("/plain/item", "get").path("operationId").asString()).isEqualTo("itemPlainItem");
        JsonNode schemas = document.at("/components/schemas");
        assertThat(fieldNames(schemas)).contains("QnspError", "DataHubError", "DataHubMeta", "DataHubPagination")
                .doesNotContain("KpiError", "RateLimitError");
    }

    private JsonNode operation(String path, String method) {
        JsonNode operation = document.path("paths").path(path).path(method);
        assertThat(operation.isMissingNode()).as("%s %s in the document", method, path).isFalse();
        return operation;
    }

    private static List<String> fieldNames(JsonNode node) {
        return new ArrayList<>(node.propertyNames());
    }
}
