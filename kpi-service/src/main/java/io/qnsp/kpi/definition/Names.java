package io.qnsp.kpi.definition;

import java.util.regex.Pattern;

/** The spelling of a tenant's KPI names and of dimension names: lower case, digits and underscores, from a letter. */
public final class Names {

    public static final int MAX_LENGTH = 64;
    public static final String RULE = "must be 1 to 64 lower-case letters, digits or underscores, starting with a "
            + "letter";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0," + (MAX_LENGTH - 1) + "}");

    private Names() {
    }

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
