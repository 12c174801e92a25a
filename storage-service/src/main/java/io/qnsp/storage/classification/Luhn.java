package io.qnsp.storage.classification;

/** The Luhn (mod 10) check every payment card number passes. */
final class Luhn {

    private Luhn() {
    }

    /** Whether the digits (and nothing else) pass the check. */
    static boolean valid(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return digits.length() > 0 && sum % 10 == 0;
    }
}
