package io.qnsp.kms.analytics;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/**
 * What an alert rule watches over its window: operations attempted, bytes processed by the successful ones, or the
 * failures' share of the operations in percent (0 to 100; 0 when there was no operation).
 */
public enum AlertMetric {
    OPERATION_COUNT("operation_count"), BYTES_PROCESSED("bytes_processed"), ERROR_RATE("error_rate");

    private final String apiName;

    AlertMetric(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static AlertMetric fromApiName(String name) {
        return Arrays.stream(values()).filter(m -> m.apiName.equals(name)).findFirst().orElse(null);
    }

    static List<String> apiNames() {
        return Arrays.stream(values()).map(AlertMetric::apiName).toList();
    }
}
