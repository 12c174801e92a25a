package io.qnsp.common.kms;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A service this one needs for its data keys (kms-service, or auth-service for the service's own token) cannot be
 * reached or refuses it: the request is answered 503 {@code DEPENDENCY_DOWN}, {@code details.dependency} naming the
 * service, and nothing is written.
 */
public class DependencyDown extends ApiException {

    DependencyDown(String dependency, String why) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "dependency_down", dependency + " " + why
                + "; nothing was changed, try again later", Map.of("dependency", dependency));
    }
}
