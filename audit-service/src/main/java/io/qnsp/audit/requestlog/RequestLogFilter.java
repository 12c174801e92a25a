package io.qnsp.audit.requestlog;

import io.qnsp.common.error.InvalidField;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which of a tenant's request logs a list or the stats cover; every part is optional.
 *
 * @param keyId       only requests authenticated by this API key
 * @param method      only this HTTP method (upper case)
 * @param pathPrefix  only paths starting with this text
 * @param status      only this status code
 * @param range       the time range
 * @param rateLimited only requests the rate limiter refused ({@code true}) or let through ({@code false})
 */
public record RequestLogFilter(String keyId, String method, String pathPrefix, Integer status, DateRange range,
                               Boolean rateLimited) {

    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,16}");
    static final int MAX_TEXT = 2048;

    /** Reads and checks the filter parameters as the API receives them. */
    public static RequestLogFilter parse(String keyId, String method, String path, Integer status, String startDate,
                                         String endDate, Boolean rateLimited) {
        String key = blankToNull(keyId);
        if (key != null && key.length() > 200) {
            throw new InvalidField("keyId", "must be at most 200 characters");
        }
        String verb = blankToNull(method);
        if (verb != null && !METHOD.matcher(verb).matches()) {
            throw new InvalidField("method", "must be an HTTP method such as GET or POST");
        }
        String prefix = blankToNull(path);
        if (prefix != null && prefix.length() > MAX_TEXT) {
            throw new InvalidField("path", "must be at most " + MAX_TEXT + " characters");
        }
        if (status != null && (status < 100 || status > 599)) {
            throw new InvalidField("status", "must be an HTTP status code between 100 and 599");
        }
        return new RequestLogFilter(key, verb == null ? null : verb.toUpperCase(Locale.ROOT), prefix, status,
                DateRange.parse(startDate, endDate), rateLimited);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
