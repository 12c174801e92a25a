package io.qnsp.ratelimit.apikey;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.List;
import java.util.Map;

/** A limits change named an algorithm this service does not implement. */
public class UnsupportedAlgorithm extends ApiException {

    UnsupportedAlgorithm() {
        super(HttpStatus.BAD_REQUEST, "unsupported_algorithm",
                "algorithm must be one of: " + Limits.TOKEN_BUCKET,
                Map.of("field", "algorithm", "supported", List.of(Limits.TOKEN_BUCKET)));
    }
}
