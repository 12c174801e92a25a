package io.qnsp.test.secrets;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Looks for secrets where they must not be: in the rows of the service's tables, in the log and in answers. A
 * secret is searched for in slices of 16 bytes, in hex and in base64, so that a partial leak is found too.
 */
public final class SecretSearch {

    private static final int SLICE = 16;

    private SecretSearch() {
    }

    /** Every row of every table in the service's schema, each value as text (bytes in hex). */
    public static List<String> everyRowOfTheSchema(JdbcTemplate jdbc, String... expectedTables) {
        List<String> tables = jdbc.queryForList("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", String.class);
        assertThat(tables).contains(expectedTables);
        List<String> rows = new ArrayList<>();
        for (String table : tables) {
            jdbc.query("SELECT * FROM \"" + table + "\"", resultSet -> {
                StringBuilder row = new StringBuilder(table).append(':');
                for (int column = 1; column <= resultSet.getMetaData().getColumnCount(); column++) {
                    Object value = resultSet.getObject(column);
                    row.append(' ').append(value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value);
                }
                rows.add(row.toString());
            });
        }
        return rows;
    }

    /** How each 16-byte slice of the secret can show up in text. */
    public static List<String> formsOfSlices(byte[] secret) {
        List<String> forms = new ArrayList<>();
        for (int start = 0; start + SLICE <= secret.length; start += SLICE) {
            forms.addAll(formsOf(Arrays.copyOfRange(secret, start, start + SLICE)));
        }
        return forms;
    }

    /** How the bytes can show up in text: hex either case, and base64 at each of the three alignments. */
    public static List<String> formsOf(byte[] bytes) {
        List<String> forms = new ArrayList<>(List.of(HexFormat.of().formatHex(bytes),
                HexFormat.of().withUpperCase().formatHex(bytes)));
        for (int skip = 0; skip < 3; skip++) {
            // the characters that depend only on these bytes, whatever precedes them in the encoded value
            byte[] aligned = new byte[skip + bytes.length];
            System.arraycopy(bytes, 0, aligned, skip, bytes.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(aligned);
            forms.add(encoded.substring((skip * 8 + 5) / 6 + 1, encoded.length() - 2));
        }
        return forms;
    }

    /** Fails naming where the first form of the secret was found. */
    public static void assertFoundNowhere(String secret, List<String> forms, List<String> rows, String log,
                                          List<String> answers) {
        for (String form : forms) {
            for (String row : rows) {
                assertThat(row).as("a table row holds part of the %s", secret).doesNotContain(form);
            }
            assertThat(log).as("the log holds part of the %s", secret).doesNotContain(form);
            for (String answer : answers) {
                assertThat(answer).as("an answer holds part of the %s", secret).doesNotContain(form);
            }
        }
    }
}
