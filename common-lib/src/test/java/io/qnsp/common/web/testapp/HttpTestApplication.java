package io.qnsp.common.web.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A servlet service with common-lib's auto-configuration and the probe endpoints of this package; tests add what
 * else they need (e.g. a controller with controls) through {@code @SpringBootTest(classes = …)}.
 */
@SpringBootApplication
public class HttpTestApplication {
}
