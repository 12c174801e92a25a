package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.error.ErrorFamily;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR;

class GatewayErrorsTests {

    private final GatewayErrors errors = new GatewayErrors(new ApiFamilies(ErrorFamily.QNSP,
            Map.of(ErrorFamily.DATAHUB, List.of("/api/v1/**"))));

    @Test
    void writesTheDataHubBodyWithTheRequestIdAndExtraHeaders() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/keys"));
        exchange.getAttributes().put(ExchangeAttributes.REQUEST_ID, "req-1");
        exchange.getResponse().getHeaders().set("X-RateLimit-Limit", "10");
        HttpHeaders extra = new HttpHeaders();
        extra.set(HttpHeaders.RETRY_AFTER, "7");

        errors.write(exchange, ApiError.of(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED, "Slow down"), extra)
                .block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        assertThat(headers.getFirst("X-Request-Id")).isEqualTo("req-1");
        assertThat(headers.getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
        assertThat(headers.getFirst("X-RateLimit-Limit")).isEqualTo("10");
        assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        JsonNode body = JsonMapper.shared().readTree(exchange.getResponse().getBodyAsString().block());
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.at("/error/code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(body.at("/error/message").asString()).isEqualTo("Slow down");
        assertThat(body.at("/meta/requestId").asString()).isEqualTo("req-1");
        assertThat(body.at("/meta/timestamp").asString()).isNotBlank();
    }

    @Test
    void writesTheQnspBodyOutsideTheDataHubPaths() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/kms/v1/keys"));

        errors.write(exchange, ApiError.of(HttpStatus.UNAUTHORIZED, ErrorCodes.INVALID_TOKEN, "Bad token")).block();

        JsonNode body = JsonMapper.shared().readTree(exchange.getResponse().getBodyAsString().block());
        assertThat(body.get("statusCode").asInt()).isEqualTo(401);
        assertThat(body.get("error").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(body.get("message").asString()).isEqualTo("Bad token");
        // without the request id filter the exchange still gets one id, the same in header and body
        String id = exchange.getResponse().getHeaders().getFirst("X-Request-Id");
        assertThat(id).isNotBlank().isEqualTo(body.get("requestId").asString())
                .isEqualTo(exchange.getAttribute(ExchangeAttributes.REQUEST_ID));
    }

    @Test
    void judgesTheFamilyByThePathTheCallerSentNotTheRewrittenOne() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/stripped"));
        exchange.getAttributes().put(GATEWAY_ORIGINAL_REQUEST_URL_ATTR,
                new LinkedHashSet<>(List.of(URI.create("http://gateway/api/v1/requests/1"))));

        assertThat(errors.family(exchange)).isEqualTo(ErrorFamily.DATAHUB);
    }

    @Test
    void leavesACommittedResponseAlone() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/kms/v1/keys"));
        exchange.getResponse().setStatusCode(HttpStatus.OK);
        exchange.getResponse().setComplete().block();

        errors.write(exchange, ApiError.of(HttpStatus.BAD_GATEWAY, ErrorCodes.INTERNAL_ERROR, "late")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
