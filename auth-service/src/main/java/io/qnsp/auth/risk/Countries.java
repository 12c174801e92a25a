package io.qnsp.auth.risk;

import java.util.Locale;
import java.util.Set;

/** ISO 3166-1 alpha-2 country codes. */
final class Countries {

    private static final Set<String> CODES = Set.of(Locale.getISOCountries());

    private Countries() {
    }

    /** The code in upper case, or an {@link InvalidRiskInput} naming the field when it is not an assigned code. */
    static String code(String value, String field) {
        String code = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (code.length() != 2 || !CODES.contains(code)) {
            throw new InvalidRiskInput(field, "must be an ISO 3166-1 alpha-2 country code such as FR or US");
        }
        return code;
    }
}
