package io.qnsp.gateway.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PublicPathsTests {

    @ParameterizedTest
    @ValueSource(strings = {"/health", "/health/ready", "/health/live", "/actuator/health/readiness",
            "/actuator/prometheus", "/swagger-ui.html", "/swagger-ui/index.html", "/webjars/swagger-ui/index.html",
            "/v3/api-docs", "/v3/api-docs/swagger-config", "/docs/auth/v3/api-docs"})
    void theGatewaysOwnEndpointsArePublic(String path) {
        assertThat(PublicPaths.matches(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/health/other", "/healthz", "/api/v1/keys", "/kms/v1/keys", "/docs/auth/v1/keys",
            "/docs/auth/v3/api-docs/extra", "/auth/v3/api-docs", ""})
    void apiPathsAreNot(String path) {
        assertThat(PublicPaths.matches(path)).isFalse();
    }
}
