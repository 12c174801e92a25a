package io.qnsp.securitymonitoring;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A service read with the caller's token refused it (the caller lacks that service's scope): 403, naming it. */
public class DependencyDenied extends ApiException {

    public DependencyDenied(String dependency, int status) {
        super(HttpStatus.FORBIDDEN, ErrorCodes.INSUFFICIENT_SCOPE, dependency + " refused the caller's token ("
                + status + "); the caller needs that service's read scope too", Map.of("dependency", dependency));
    }
}
