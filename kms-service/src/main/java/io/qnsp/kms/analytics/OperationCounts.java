package io.qnsp.kms.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.qnsp.kms.usage.OperationType;

import java.util.Map;

/** Operations of each type (attempts: successes and failures alike). */
public record OperationCounts(long encrypt, long decrypt, long sign, long verify, long encapsulate, long decapsulate,
                              @JsonProperty("generate_data_key") long generateDataKey) {

    static OperationCounts of(Map<OperationType, Long> counts) {
        return new OperationCounts(get(counts, OperationType.ENCRYPT), get(counts, OperationType.DECRYPT),
                get(counts, OperationType.SIGN), get(counts, OperationType.VERIFY),
                get(counts, OperationType.ENCAPSULATE), get(counts, OperationType.DECAPSULATE),
                get(counts, OperationType.GENERATE_DATA_KEY));
    }

    private static long get(Map<OperationType, Long> counts, OperationType type) {
        return counts.getOrDefault(type, 0L);
    }
}
