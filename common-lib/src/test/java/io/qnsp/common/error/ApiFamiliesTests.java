package io.qnsp.common.error;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiFamiliesTests {

    private final ApiFamilies families = new ApiFamilies(ErrorFamily.QNSP, Map.of(
            ErrorFamily.DATAHUB, List.of("/api/v1/**"),
            ErrorFamily.KPI, List.of("/api/v1/storage/kpi/**")));

    @Test
    void pathsNoPatternMatchesGetTheDefaultFamily() {
        assertThat(families.ofPath("/auth/tenants")).isEqualTo(ErrorFamily.QNSP);
        assertThat(families.ofPath("/api/v2/keys")).isEqualTo(ErrorFamily.QNSP);
        assertThat(families.ofPath("/")).isEqualTo(ErrorFamily.QNSP);
        assertThat(families.defaultFamily()).isEqualTo(ErrorFamily.QNSP);
    }

    @Test
    void theMostSpecificMatchingPatternDecides() {
        assertThat(families.ofPath("/api/v1/keys")).isEqualTo(ErrorFamily.DATAHUB);
        assertThat(families.ofPath("/api/v1")).isEqualTo(ErrorFamily.DATAHUB);
        assertThat(families.ofPath("/api/v1/storage/kpi/metrics")).isEqualTo(ErrorFamily.KPI);
        assertThat(families.ofPath("/api/v1/storage/other")).isEqualTo(ErrorFamily.DATAHUB);
    }

    @Test
    void anErrorDispatchIsJudgedByThePathTheCallerRequested() {
        MockHttpServletRequest error = new MockHttpServletRequest("GET", "/error");
        error.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/api/v1/keys/abc");
        MockHttpServletRequest forward = new MockHttpServletRequest("GET", "/somewhere");
        forward.setAttribute(RequestDispatcher.FORWARD_REQUEST_URI, "/api/v1/keys");

        assertThat(families.ofPath(RequestedPath.of(error))).isEqualTo(ErrorFamily.DATAHUB);
        assertThat(families.ofPath(RequestedPath.of(forward))).isEqualTo(ErrorFamily.DATAHUB);
        assertThat(families.ofPath(RequestedPath.of(new MockHttpServletRequest("GET", "/error"))))
                .isEqualTo(ErrorFamily.QNSP);
    }

    @Test
    void theContextPathIsNotPartOfThePattern() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/ctx/api/v1/keys");
        request.setContextPath("/ctx");

        assertThat(families.ofPath(RequestedPath.of(request))).isEqualTo(ErrorFamily.DATAHUB);
    }

    @Test
    void encodedAndMalformedPathsStillGetAFamily() {
        assertThat(families.ofPath("/api/v1/keys/a%20b")).isEqualTo(ErrorFamily.DATAHUB);
        assertThat(families.ofPath("/api/v1/keys/%zz")).isIn(ErrorFamily.DATAHUB, ErrorFamily.QNSP);
        assertThat(families.ofPath(null)).isEqualTo(ErrorFamily.QNSP);
    }

    @Test
    void aPatternNotStartingWithASlashIsRefusedAtStartup() {
        // what a YAML map key such as /api/v1/** turns into when the binder strips its special characters
        assertThatThrownBy(() -> new ApiFamilies(ErrorFamily.QNSP, Map.of(ErrorFamily.DATAHUB, List.of("apiv1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("qnsp.errors.path-families.datahub");
    }

    @Test
    void withoutPatternsEveryRequestIsInTheDefaultFamily() {
        ApiFamilies single = new ApiFamilies(new ErrorsProperties(ErrorFamily.DATAHUB, null));

        assertThat(single.ofPath(RequestedPath.of(new MockHttpServletRequest("GET", "/auth/anything"))))
                .isEqualTo(ErrorFamily.DATAHUB);
    }
}
