package io.qnsp.kms.analytics;

import com.fasterxml.jackson.annotation.JsonValue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/** How an alert rule compares the observed value with its threshold. */
public enum AlertOperator {
    GT("gt"), LT("lt"), EQ("eq");

    private final String apiName;

    AlertOperator(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    boolean holds(BigDecimal observed, BigDecimal threshold) {
        int comparison = observed.compareTo(threshold);
        return switch (this) {
            case GT -> comparison > 0;
            case LT -> comparison < 0;
            case EQ -> comparison == 0;
        };
    }

    static AlertOperator fromApiName(String name) {
        return Arrays.stream(values()).filter(o -> o.apiName.equals(name)).findFirst().orElse(null);
    }

    static List<String> apiNames() {
        return Arrays.stream(values()).map(AlertOperator::apiName).toList();
    }
}
