package io.qnsp.storage.classification;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in rules: each finds candidates with a linear-time regular expression and keeps those that pass its
 * check (Luhn for card numbers, mod 97 for IBANs, the issuing rules for national ids).
 */
public enum Detector {

    /** E-mail addresses. */
    EMAIL(List.of(DataType.PII),
            "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]"
                    + "{0,62}[A-Za-z0-9])?)*\\.[A-Za-z]{2,24}"),
    /** Payment card numbers of 13 to 19 digits, whole or grouped by spaces or hyphens, that pass the Luhn check. */
    CREDIT_CARD(List.of(DataType.PCI),
            "\\d{4}[ -]\\d{4}[ -]\\d{4}[ -]\\d{1,7}|\\d{4}[ -]\\d{6}[ -]\\d{5}|\\d{13,19}"),
    /** IBANs of a known country's length whose check digits are right, whole or grouped by spaces. */
    IBAN(List.of(DataType.PII),
            "[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}"),
    /** US Social Security numbers (as issued: no area 000, 666 or 9xx, no group 00, no serial 0000) and UK National
     * Insurance numbers (valid prefixes and suffix). */
    NATIONAL_ID(List.of(DataType.PII),
            "\\d{3}-\\d{2}-\\d{4}|[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]"),
    /** Words that mark health records: diagnoses, patients, prescriptions, medical record numbers and the like. */
    PHI_KEYWORDS(List.of(DataType.PHI),
            "(?i)\\b(?:diagnosis|diagnosed|patient|prescription|prescribed|medical record|medical history|mrn|"
                    + "icd-10|hipaa|treatment plan|blood type|lab results|discharge summary|medication|dosage|"
                    + "allergies|clinical notes|health insurance claim)\\b");

    private static final Set<String> NINO_REFUSED_PREFIXES = Set.of("BG", "GB", "NK", "KN", "TN", "NT", "ZZ");

    private final List<DataType> dataTypes;
    private final Pattern candidates;

    Detector(List<DataType> dataTypes, String candidates) {
        this.dataTypes = dataTypes;
        this.candidates = Pattern.compile(candidates);
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The data types a rule using this detector reports unless it names its own. */
    public List<DataType> dataTypes() {
        return dataTypes;
    }

    Pattern candidates() {
        return candidates;
    }

    public static Optional<Detector> of(String text) {
        return Arrays.stream(values()).filter(d -> d.value().equals(text)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Detector::value).toList();
    }

    /** Whether the candidate the matcher stands on is a real finding, judged with the text around it. */
    boolean accepts(CharSequence text, Matcher match) {
        int start = match.start();
        int end = match.end();
        String found = match.group();
        return switch (this) {
            case EMAIL, PHI_KEYWORDS -> true;
            case CREDIT_CARD -> {
                if (isDigit(text, start - 1) || isDigit(text, end)) {
                    yield false;
                }
                String digits = found.replace(" ", "").replace("-", "");
                yield digits.length() >= 13 && digits.length() <= 19 && Luhn.valid(digits);
            }
            case IBAN -> {
                if (isAlphanumeric(text, start - 1)) {
                    yield false;
                }
                String compact = found.replace(" ", "");
                Integer length = Ibans.LENGTHS.get(compact.substring(0, 2));
                // a greedy match may have swallowed what follows the IBAN: keep the country's length
                yield length != null && compact.length() >= length && Ibans.valid(compact.substring(0, length));
            }
            case NATIONAL_ID -> {
                if (isAlphanumeric(text, start - 1) || isAlphanumeric(text, end)) {
                    yield false;
                }
                yield Character.isDigit(found.charAt(0)) ? ssn(found) : nino(found);
            }
        };
    }

    private static boolean ssn(String found) {
        int area = Integer.parseInt(found.substring(0, 3));
        int group = Integer.parseInt(found.substring(4, 6));
        int serial = Integer.parseInt(found.substring(7));
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }

    private static boolean nino(String found) {
        return !NINO_REFUSED_PREFIXES.contains(found.substring(0, 2));
    }

    private static boolean isDigit(CharSequence text, int at) {
        return at >= 0 && at < text.length() && Character.isDigit(text.charAt(at));
    }

    private static boolean isAlphanumeric(CharSequence text, int at) {
        return at >= 0 && at < text.length() && Character.isLetterOrDigit(text.charAt(at));
    }
}
