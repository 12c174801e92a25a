package io.qnsp.kms.analytics;

import io.qnsp.common.error.InvalidField;
import io.qnsp.kms.usage.OperationType;
import org.jspecify.annotations.Nullable;

import java.util.UUID;

/** A valid report of an application's use of a key, made outside the service (e.g. with a data key it holds). */
public record RecordedUsage(String applicationId, @Nullable String applicationName, UUID keyId,
                            OperationType operation, long bytesProcessed) {

    static final int MAX_APPLICATION = 128;

    /** @throws InvalidField naming each offending field */
    public static RecordedUsage of(@Nullable String applicationId, @Nullable String applicationName,
                                   @Nullable String keyId, @Nullable String operation, @Nullable Long bytesProcessed) {
        InvalidField.Problems problems = new InvalidField.Problems();
        String application = applicationId == null ? null : applicationId.strip();
        if (application == null || application.isEmpty()) {
            problems.add("applicationId", "is required");
        } else if (application.length() > MAX_APPLICATION) {
            problems.add("applicationId", "must be at most " + MAX_APPLICATION + " characters");
        }
        String name = applicationName == null ? null : applicationName.strip();
        if (name != null && (name.isEmpty() || name.length() > MAX_APPLICATION)) {
            problems.add("applicationName", "must be 1 to " + MAX_APPLICATION + " characters");
        }
        UUID key = null;
        if (keyId == null) {
            problems.add("keyId", "is required");
        } else {
            key = problems.uuid(keyId, "keyId");
        }
        OperationType type = operation == null ? null : OperationType.fromApiName(operation);
        if (operation == null) {
            problems.add("operation", "is required");
        } else if (type == null) {
            problems.add("operation", "must be one of " + OperationType.apiNames());
        }
        long bytes = bytesProcessed == null ? 0 : bytesProcessed;
        if (bytes < 0) {
            problems.add("bytesProcessed", "must not be negative");
        }
        problems.throwIfAny();
        return new RecordedUsage(application, name, key, type, bytes);
    }
}
