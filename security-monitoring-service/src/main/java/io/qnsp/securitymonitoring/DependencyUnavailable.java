package io.qnsp.securitymonitoring;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A service the answer depends on cannot be reached or fails: 503, naming it. */
public class DependencyUnavailable extends ApiException {

    public DependencyUnavailable(String dependency, String why) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "dependency_down", dependency + " " + why
                + "; try again later", Map.of("dependency", dependency));
    }
}
