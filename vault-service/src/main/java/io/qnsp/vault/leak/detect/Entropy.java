package io.qnsp.vault.leak.detect;

import java.util.HashMap;
import java.util.Map;

/** Shannon entropy of a text's characters, in bits per character. */
public final class Entropy {

    private Entropy() {
    }

    public static double bitsPerChar(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        Map<Character, Integer> counts = new HashMap<>();
        for (int i = 0; i < text.length(); i++) {
            counts.merge(text.charAt(i), 1, Integer::sum);
        }
        double entropy = 0;
        for (int count : counts.values()) {
            double p = (double) count / text.length();
            entropy -= p * Math.log(p) / Math.log(2);
        }
        return entropy;
    }
}
