package io.qnsp.common.observability;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a request leaves in the metrics: its own {@code http.server.requests} timer, and neither an observation per
 * security filter nor a long-task timer per observation.
 */
@SpringBootTest(classes = HttpTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedInfrastructure
class RequestObservationsTests {

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    @Test
    void aSecuredRequestIsTimedOnceWithoutSecurityObservationsOrLongTaskTimers() {
        TestHttp http = new TestHttp(port);
        String token = TestTokens.forTenant("tenant-obs").mint();
        assertThat(http.get("/secure/caller", "Authorization", TestHttp.bearer(token)).status()).isEqualTo(200);
        assertThat(http.get("/secure/caller").status()).isEqualTo(401);

        List<String> names = meters.getMeters().stream().map(meter -> meter.getId().getName()).distinct().toList();
        assertThat(meters.find("http.server.requests").tag("uri", "/secure/caller").tag("status", "200").timer())
                .as("the request's own timer").isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
        assertThat(names).noneMatch(name -> name.startsWith("spring.security"));
        assertThat(meters.getMeters()).noneMatch(meter -> meter instanceof LongTaskTimer);
    }
}
