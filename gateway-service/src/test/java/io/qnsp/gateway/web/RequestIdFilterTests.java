package io.qnsp.gateway.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdFilterTests {

    private final RequestIdFilter filter = new RequestIdFilter();

    @Test
    void acceptsAWellFormedIdAndHandsItOnToTheBackendAndTheResponse() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/kms/v1/keys").header("X-Request-Id", "abc:123.x_y-z"));
        AtomicReference<ServerWebExchange> next = new AtomicReference<>();

        filter.filter(exchange, e -> {
            next.set(e);
            // as a backend's echo would add a second value
            e.getResponse().getHeaders().add("X-Request-Id", "abc:123.x_y-z");
            return e.getResponse().setComplete();
        }).block();

        assertThat(next.get().getRequest().getHeaders().get("X-Request-Id")).containsExactly("abc:123.x_y-z");
        assertThat(exchange.getResponse().getHeaders().get("X-Request-Id")).containsExactly("abc:123.x_y-z");
        assertThat(ExchangeAttributes.requestId(next.get())).isEqualTo("abc:123.x_y-z");
    }

    @Test
    void replacesIdsThatAreTooLongOrCarryOtherCharacters() {
        for (String offered : new String[]{"a".repeat(129), "has space", "semi;colon", "new\nline", ""}) {
            MockServerWebExchange exchange = MockServerWebExchange.from(
                    MockServerHttpRequest.get("/").header("X-Request-Id", offered));

            filter.filter(exchange, e -> Mono.empty()).block();

            String id = exchange.getAttribute(ExchangeAttributes.REQUEST_ID);
            assertThat(id).isNotEqualTo(offered);
            assertThat(UUID.fromString(id)).isNotNull();
            assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id")).isEqualTo(id);
        }
        assertThat(RequestIdFilter.accept("a".repeat(128))).isEqualTo("a".repeat(128));
    }
}
