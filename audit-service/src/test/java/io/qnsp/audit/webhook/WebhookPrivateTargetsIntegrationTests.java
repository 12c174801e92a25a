package io.qnsp.audit.webhook;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.audit.webhook.DataHubAssertions.success;
import static io.qnsp.audit.webhook.DataHubAssertions.validation;
import static io.qnsp.audit.webhook.WebhooksClient.webhook;
import static org.assertj.core.api.Assertions.assertThat;

/** With internal targets forbidden (production's setting), webhooks cannot point into the platform's network. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
@TestPropertySource(properties = "qnsp.audit.deliveries.allow-private-targets=false")
class WebhookPrivateTargetsIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void internalAddressesAreRefusedOnCreateAndUpdate() {
        WebhooksClient client = WebhooksClient.writer(port, "tenant-" + UUID.randomUUID());
        for (String url : List.of("http://127.0.0.1:8089/hook", "http://localhost/hook", "http://[::1]/hook",
                "http://10.1.2.3/hook", "https://192.168.0.10/hook", "http://169.254.169.254/latest/meta-data",
                "http://100.64.0.1/hook", "http://0.0.0.0/hook")) {
            JsonNode error = validation(client.create(webhook("Internal", url, "*")), "url");
            assertThat(error.get("message").asString()).as(url).contains("internal");
        }

        JsonNode created = success(client.create(webhook("Public", "https://203.0.113.10/hook", "*")), 201);
        String id = created.get("id").asString();
        validation(client.update(id, Map.of("url", "http://127.0.0.1/hook")), "url");
        assertThat(success(client.get(id), 200).get("url").asString()).isEqualTo("https://203.0.113.10/hook");
    }
}
