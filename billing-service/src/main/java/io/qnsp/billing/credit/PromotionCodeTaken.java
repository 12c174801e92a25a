package io.qnsp.billing.credit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A promotion with that code exists already. */
public class PromotionCodeTaken extends ApiException {

    public PromotionCodeTaken() {
        super(HttpStatus.CONFLICT, "promotion_code_taken", "A promotion with this code exists already",
                Map.of("field", "code"));
    }
}
