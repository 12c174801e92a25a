package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorFamily;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

class GatewayExceptionHandlerTests {

    private final GatewayExceptionHandler handler = new GatewayExceptionHandler(
            new GatewayErrors(new ApiFamilies(ErrorFamily.QNSP, Map.of())));

    @Test
    void aRefusedConnectionToTheBackendIs503Unreachable() {
        MockServerWebExchange exchange = routed("kms");

        handler.handle(exchange, new ConnectException("Connection refused")).block();

        JsonNode body = body(exchange, 503);
        assertThat(body.get("error").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(body.at("/details/service").asString()).isEqualTo("kms");
        assertThat(body.at("/details/reason").asString()).isEqualTo("unreachable");
    }

    @Test
    void theGatewaysResponseTimeoutIs503Timeout() {
        MockServerWebExchange exchange = routed("vault");

        handler.handle(exchange, new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, "Response took longer",
                new TimeoutException())).block();

        assertThat(body(exchange, 503).at("/details/reason").asString()).isEqualTo("timeout");
    }

    @Test
    void anInputOutputFailureOutsideARouteIsAnInternalError() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/health"));

        handler.handle(exchange, new IllegalStateException("wrapped", new IOException("disk"))).block();

        JsonNode body = body(exchange, 500);
        assertThat(body.get("error").asString()).isEqualTo("INTERNAL_ERROR");
        assertThat(body.get("message").asString()).isEqualTo("An unexpected error occurred");
    }

    @Test
    void aPlatformExceptionKeepsItsStatusAndCodeEvenOnARoute() {
        MockServerWebExchange exchange = routed("kms");

        handler.handle(exchange, new RuntimeException(new PayloadTooLarge(10))).block();

        assertThat(body(exchange, 413).get("error").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void aCommittedResponseOrAVanishedClientIsLeftToTheServer() {
        MockServerWebExchange committed = routed("kms");
        committed.getResponse().setComplete().block();
        IllegalStateException failure = new IllegalStateException("late");
        StepVerifier.create(handler.handle(committed, failure)).expectErrorMatches(e -> e == failure).verify();

        MockServerWebExchange gone = MockServerWebExchange.from(MockServerHttpRequest.get("/kms/v1/x"));
        IOException brokenPipe = new IOException("Broken pipe");
        StepVerifier.create(handler.handle(gone, brokenPipe)).expectErrorMatches(e -> e == brokenPipe).verify();
    }

    private static MockServerWebExchange routed(String routeId) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/" + routeId + "/v1/x"));
        exchange.getAttributes().put(GATEWAY_ROUTE_ATTR, Route.async().id(routeId).uri("http://127.0.0.1:1")
                .predicate(e -> true).build());
        return exchange;
    }

    private static JsonNode body(MockServerWebExchange exchange, int status) {
        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(status);
        assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id"))
                .isEqualTo(exchange.getAttribute(ExchangeAttributes.REQUEST_ID));
        String raw = exchange.getResponse().getBodyAsString().block();
        return JsonMapper.shared().readTree(raw == null ? "{}" : raw);
    }
}
