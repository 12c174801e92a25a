package io.qnsp.storage.classification;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One rule of a classification policy: a built-in {@link Detector} or the tenant's own regular expression (run by
 * RE2/J, a linear-time engine, so no pattern can make a scan hang), the classification an object gets when it
 * matches, and the kinds of data a match means.
 */
public record Rule(@Nullable Detector detector, @Nullable String pattern, Classification classification,
                   List<DataType> dataTypes) {

    /** The rule's matcher over the text, or of its built-in detector. */
    Pattern compiled() {
        return detector != null ? detector.candidates() : Pattern.compile(pattern);
    }

    /** Whether a candidate the matcher stands on counts (a custom pattern's always do). */
    boolean accepts(CharSequence text, Matcher match) {
        return detector == null || detector.accepts(text, match);
    }
}
