package io.qnsp.auth.federation;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The file a report is rendered to. */
public enum ReportFormat {
    JSON("json", "application/json", "json"),
    CSV("csv", "text/csv;charset=UTF-8", "csv");

    private final String value;
    private final String contentType;
    private final String extension;

    ReportFormat(String value, String contentType, String extension) {
        this.value = value;
        this.contentType = contentType;
        this.extension = extension;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public String contentType() {
        return contentType;
    }

    String extension() {
        return extension;
    }

    /** The format a request names, or empty when the service does not support it. */
    public static Optional<ReportFormat> find(String value) {
        return Arrays.stream(values()).filter(f -> f.value.equals(value)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(ReportFormat::value).toList();
    }
}
