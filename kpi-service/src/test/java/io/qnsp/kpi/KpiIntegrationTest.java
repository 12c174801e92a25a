package io.qnsp.kpi;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test of the whole service over real HTTP, on real PostgreSQL and Redis; every class so annotated shares one
 * application context. Its rate limits are raised far above spec 000's default so that tests which call an endpoint
 * many times in a row are not refused; {@code RateLimitIntegrationTests} runs with the defaults.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"qnsp.kpi.rate-limit.requests-per-second=100000", "qnsp.kpi.rate-limit.burst=100000"})
@ActiveProfiles("test")
@EmbeddedInfrastructure
public @interface KpiIntegrationTest {
}
