package io.qnsp.ratelimit.check;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A check asked for more tokens than the key's bucket can ever hold, so it could never be admitted. */
public class CostAboveBurst extends ApiException {

    CostAboveBurst(int burstCapacity) {
        super(HttpStatus.BAD_REQUEST, "invalid_request",
                "cost must not exceed the key's burst capacity of " + burstCapacity,
                Map.of("field", "cost", "burstCapacity", burstCapacity));
    }
}
