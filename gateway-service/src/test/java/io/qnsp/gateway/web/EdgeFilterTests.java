package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.error.ErrorFamily;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeFilterTests {

    private final GatewayErrors errors = new GatewayErrors(new ApiFamilies(ErrorFamily.QNSP,
            Map.of(ErrorFamily.DATAHUB, List.of("/api/v1/**"))));
    private final List<String> answered = new ArrayList<>();
    private final EdgeFilter filter = new EdgeFilter(new CorsPolicy(new CorsConfiguration(), errors),
            new RequestBodyLimit(DataSize.ofKilobytes(1).toBytes(), List.of(), errors), errors,
            List.of((exchange, arrivedAt, duration) -> answered.add(exchange.getRequest().getPath().value() + " "
                    + (exchange.getResponse().getStatusCode() == null ? 200
                    : exchange.getResponse().getStatusCode().value()))));

    @Test
    void acceptsAWellFormedIdAndWritesItOnceOnTheAnswerWhateverTheServiceEchoed() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/kms/v1/keys").header("X-Request-Id", "abc:123.x_y-z"));

        filter.filter(exchange, e -> {
            // as a service's echo would add a value of its own
            e.getResponse().getHeaders().add("X-Request-Id", "abc:123.x_y-z");
            e.getResponse().getHeaders().add("X-Request-Id", "service-made");
            return e.getResponse().setComplete();
        }).block();

        assertThat(exchange.getResponse().getHeaders().get("X-Request-Id")).containsExactly("abc:123.x_y-z");
        assertThat(ExchangeAttributes.requestId(exchange)).isEqualTo("abc:123.x_y-z");
        assertThat(answered).containsExactly("/kms/v1/keys 200");
    }

    @Test
    void replacesIdsThatAreTooLongOrCarryOtherCharactersWithUuids() {
        for (String offered : new String[]{"a".repeat(129), "has space", "semi;colon", "new\nline", ""}) {
            MockServerWebExchange exchange = MockServerWebExchange.from(
                    MockServerHttpRequest.get("/").header("X-Request-Id", offered));

            filter.filter(exchange, e -> e.getResponse().setComplete()).block();

            String id = exchange.getAttribute(ExchangeAttributes.REQUEST_ID);
            assertThat(id).isNotEqualTo(offered);
            assertThat(UUID.fromString(id).version()).isEqualTo(4);
            assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id")).isEqualTo(id);
        }
        assertThat(EdgeFilter.accept("a".repeat(128))).isEqualTo("a".repeat(128));
    }

    @Test
    void writesTheHandedOverHeadersOnceReplacingTheServicesOwn() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/kms/v1/keys"));

        filter.filter(exchange, e -> {
            AnswerHeaders.put(e, headers -> headers.set("X-RateLimit-Limit", "60"));
            e.getResponse().getHeaders().add("X-RateLimit-Limit", "999");
            return e.getResponse().setComplete();
        }).block();

        assertThat(exchange.getResponse().getHeaders().get("X-RateLimit-Limit")).containsExactly("60");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersButKeepsTheServicesOwnValues() {
        MockServerWebExchange plain = MockServerWebExchange.from(MockServerHttpRequest.get("/kms/v1/keys"));
        filter.filter(plain, e -> e.getResponse().setComplete()).block();

        assertThat(plain.getResponse().getHeaders().toSingleValueMap()).containsAllEntriesOf(Map.of(
                "Cache-Control", "no-cache, no-store, max-age=0, must-revalidate",
                "Pragma", "no-cache",
                "Expires", "0",
                "X-Content-Type-Options", "nosniff",
                "X-Frame-Options", "DENY",
                "X-XSS-Protection", "0",
                "Referrer-Policy", "no-referrer"));
        // over plain HTTP there is no transport security to insist on
        assertThat(plain.getResponse().getHeaders().containsHeader("Strict-Transport-Security")).isFalse();

        MockServerWebExchange own = MockServerWebExchange.from(MockServerHttpRequest.get("/kms/v1/keys"));
        filter.filter(own, e -> {
            e.getResponse().getHeaders().set("Cache-Control", "private, max-age=60");
            e.getResponse().getHeaders().set("X-Frame-Options", "SAMEORIGIN");
            return e.getResponse().setComplete();
        }).block();

        assertThat(own.getResponse().getHeaders().get("Cache-Control")).containsExactly("private, max-age=60");
        assertThat(own.getResponse().getHeaders().containsHeader("Pragma")).isFalse();
        assertThat(own.getResponse().getHeaders().get("X-Frame-Options")).containsExactly("SAMEORIGIN");
        assertThat(own.getResponse().getHeaders().get("X-Content-Type-Options")).containsExactly("nosniff");

        MockServerWebExchange notModified = MockServerWebExchange.from(MockServerHttpRequest.get("/kms/v1/keys"));
        filter.filter(notModified, e -> {
            e.getResponse().setStatusCode(HttpStatus.NOT_MODIFIED);
            return e.getResponse().setComplete();
        }).block();
        assertThat(notModified.getResponse().getHeaders().containsHeader("Cache-Control")).isFalse();
    }

    @Test
    void aRequestTheFirewallRefusesIsA400InThePathsFamilyWithoutReachingTheChain() {
        AtomicBoolean reached = new AtomicBoolean();
        WebFilterChain chain = e -> {
            reached.set(true);
            return e.getResponse().setComplete();
        };

        MockServerWebExchange qnsp = MockServerWebExchange.from(
                MockServerHttpRequest.method(HttpMethod.GET, URI.create("/kms/v1/keys/a%2Fb"))
                        .header("X-Request-Id", "fw-1"));
        filter.filter(qnsp, chain).block();
        JsonNode body = body(qnsp);
        assertThat(qnsp.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(body.get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(body.at("/details/field").asString()).isEqualTo("path");
        assertThat(body.get("requestId").asString()).isEqualTo("fw-1");
        assertThat(qnsp.getResponse().getHeaders().get("X-Request-Id")).containsExactly("fw-1");
        assertThat(qnsp.getResponse().getHeaders().get("X-Content-Type-Options")).containsExactly("nosniff");

        MockServerWebExchange dataHub = MockServerWebExchange.from(
                MockServerHttpRequest.method(HttpMethod.valueOf("TRACE"), "/api/v1/requests"));
        filter.filter(dataHub, chain).block();
        assertThat(dataHub.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(body(dataHub).at("/error/details/field").asString()).isEqualTo("method");

        assertThat(reached).isFalse();
        // refusals are API requests like any other: the request log hears of them
        assertThat(answered).containsExactly("/kms/v1/keys/a%2Fb 400", "/api/v1/requests 400");
    }

    @Test
    void afterAFailureTheListenersHearOfTheAnswerOnceTheErrorIsWritten() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/kms/v1/keys"));

        filter.filter(exchange, e -> Mono.error(new IllegalStateException("boom")))
                .onErrorResume(failure -> {
                    // the error handler answers outside every filter, after the filter's handling has ended
                    assertThat(answered).isEmpty();
                    return errors.write(exchange, ApiError.of(HttpStatus.SERVICE_UNAVAILABLE,
                            ErrorCodes.SERVICE_UNAVAILABLE, "down"));
                })
                .block();

        assertThat(answered).containsExactly("/kms/v1/keys 503");
        assertThat(exchange.getResponse().getHeaders().get("X-Request-Id")).hasSize(1);
    }

    private static JsonNode body(MockServerWebExchange exchange) {
        return JsonMapper.shared().readTree(exchange.getResponse().getBodyAsString().block());
    }
}
