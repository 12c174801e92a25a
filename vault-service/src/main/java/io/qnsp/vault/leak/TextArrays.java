package io.qnsp.vault.leak;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lists stored in PostgreSQL array columns: written as one text parameter joined by the unit separator (which no
 * stored item holds: each is refused with control characters) and split by PostgreSQL, read back as arrays.
 */
final class TextArrays {

    static final String SEPARATOR = "\u001f";
    /** The SQL for a text array parameter; format with the parameter's name. */
    static final String SQL = "string_to_array(:%s, E'\\x1f')";
    /** The SQL for a UUID array parameter; format with the parameter's name. */
    static final String UUID_SQL = "CAST(string_to_array(:%s, E'\\x1f') AS UUID[])";

    private TextArrays() {
    }

    static String join(List<?> items) {
        return String.join(SEPARATOR, items.stream().map(String::valueOf).toList());
    }

    static List<String> read(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] items = (Object[]) array.getArray();
        List<String> texts = new ArrayList<>(items.length);
        Arrays.stream(items).forEach(item -> texts.add(String.valueOf(item)));
        return List.copyOf(texts);
    }
}
