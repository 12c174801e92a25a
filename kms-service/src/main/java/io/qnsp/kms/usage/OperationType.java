package io.qnsp.kms.usage;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/** The cryptographic operations a key performs, as counted and reported. */
public enum OperationType {
    ENCRYPT("encrypt"), DECRYPT("decrypt"), SIGN("sign"), VERIFY("verify"), ENCAPSULATE("encapsulate"),
    DECAPSULATE("decapsulate"), GENERATE_DATA_KEY("generate_data_key");

    private final String apiName;

    OperationType(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    public static OperationType fromApiName(String name) {
        for (OperationType type : values()) {
            if (type.apiName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(OperationType::apiName).toList();
    }
}
