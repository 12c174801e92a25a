package io.qnsp.ai.bias;

import io.qnsp.common.error.InvalidField;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bias evaluation's test dataset: a CSV whose header names its columns, one row per scored example. The columns
 * an evaluation reads are {@code prediction} (the model's decision, 0 or 1), {@code label} (the true outcome, 0 or
 * 1), {@code score} (the model's probability for 1, from 0 to 1) and one column per protected attribute (the
 * group the example belongs to, any text). Which of the first three are needed depends on the evaluation type.
 */
record BiasDataset(List<Row> rows) {

    static final int MAX_ROWS = 100_000;
    static final int MAX_CSV_CHARS = 5_000_000;

    /** One example: the columns the evaluation reads (others are ignored). */
    record Row(int prediction, int label, double score, Map<String, String> groups) {
    }

    /** The columns an evaluation type needs besides the protected attributes. */
    static List<String> requiredColumns(String evaluationType) {
        return switch (evaluationType) {
            case "demographic_parity" -> List.of("prediction");
            case "equalized_odds" -> List.of("prediction", "label");
            case "calibration" -> List.of("score", "label");
            default -> throw new IllegalArgumentException(evaluationType);
        };
    }

    /**
     * The CSV an RFC 2397 {@code data:} URI holds ({@code data:text/csv;base64,...} or {@code data:text/csv,...}
     * percent-encoded), or an {@link InvalidField} naming {@code field}.
     */
    static String fromDataUri(String uri, String field) {
        int comma = uri.indexOf(',');
        if (!uri.regionMatches(true, 0, "data:", 0, 5) || comma < 0) {
            throw new InvalidField(field, "must be a data:text/csv URI (RFC 2397), or give the CSV in "
                    + "testDataset.content");
        }
        String meta = uri.substring(5, comma).toLowerCase(Locale.ROOT);
        String payload = uri.substring(comma + 1);
        if (!(meta.startsWith("text/csv") || meta.startsWith("text/plain") || meta.isEmpty() || meta.equals(";base64"))) {
            throw new InvalidField(field, "must hold text/csv");
        }
        try {
            return meta.endsWith(";base64")
                    ? new String(Base64.getMimeDecoder().decode(payload), StandardCharsets.UTF_8)
                    : URLDecoder.decode(payload.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidField(field, "does not decode: " + e.getMessage());
        }
    }

    /**
     * Parses the CSV for an evaluation of the type over the attributes, keeping the first {@code sampleSize} rows
     * (all when null); every problem is an {@link InvalidField} naming {@code field} and the line.
     */
    static BiasDataset parse(String csv, String evaluationType, List<String> attributes, Integer sampleSize,
                             String field) {
        if (csv.length() > MAX_CSV_CHARS) {
            throw new InvalidField(field, "must be at most " + MAX_CSV_CHARS + " characters");
        }
        List<String> lines = csv.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new InvalidField(field, "is empty: a header line and at least one row are needed");
        }
        List<String> header = split(lines.getFirst(), field, 1).stream()
                .map(name -> name.strip().toLowerCase(Locale.ROOT)).toList();
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            column.putIfAbsent(header.get(i), i);
        }
        List<String> missing = new ArrayList<>();
        for (String name : requiredColumns(evaluationType)) {
            if (!column.containsKey(name)) {
                missing.add(name);
            }
        }
        for (String attribute : attributes) {
            if (!column.containsKey(attribute.toLowerCase(Locale.ROOT))) {
                missing.add(attribute);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidField(field, "has no column " + String.join(", ", missing) + " (header: "
                    + String.join(",", header) + ")");
        }
        int available = lines.size() - 1;
        if (available == 0) {
            throw new InvalidField(field, "has a header but no rows");
        }
        if (available > MAX_ROWS) {
            throw new InvalidField(field, "must have at most " + MAX_ROWS + " rows");
        }
        if (sampleSize != null && sampleSize > available) {
            throw new InvalidField("testDataset.sampleSize", "is " + sampleSize + " but the dataset has "
                    + available + " rows");
        }
        int count = sampleSize == null ? available : sampleSize;
        List<String> needed = requiredColumns(evaluationType);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            int line = i + 1;
            List<String> cells = split(lines.get(i), field, line);
            if (cells.size() != header.size()) {
                throw new InvalidField(field, "line " + line + " has " + cells.size() + " fields, the header "
                        + header.size());
            }
            int prediction = needed.contains("prediction") ? binary(cells.get(column.get("prediction")), "prediction",
                    line, field) : 0;
            int label = needed.contains("label") ? binary(cells.get(column.get("label")), "label", line, field) : 0;
            double score = needed.contains("score") ? probability(cells.get(column.get("score")), line, field) : 0;
            Map<String, String> groups = new HashMap<>();
            for (String attribute : attributes) {
                String group = cells.get(column.get(attribute.toLowerCase(Locale.ROOT))).strip();
                if (group.isEmpty()) {
                    throw new InvalidField(field, "line " + line + " has no value for " + attribute);
                }
                groups.put(attribute, group);
            }
            rows.add(new Row(prediction, label, score, groups));
        }
        return new BiasDataset(List.copyOf(rows));
    }

    private static int binary(String cell, String name, int line, String field) {
        String value = cell.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "1", "1.0", "true" -> 1;
            case "0", "0.0", "false" -> 0;
            default -> throw new InvalidField(field, "line " + line + ": " + name + " must be 0 or 1");
        };
    }

    private static double probability(String cell, int line, String field) {
        try {
            double value = Double.parseDouble(cell.strip());
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidField(field, "line " + line + ": score must be a number from 0 to 1");
    }

    /** The fields of one CSV line: comma-separated, double quotes around a field that holds commas or quotes. */
    private static List<String> split(String line, String field, int number) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new InvalidField(field, "line " + number + " has an unterminated quoted field");
        }
        cells.add(cell.toString());
        return cells;
    }
}
