/**
 * Failures in the API family's error format ({@code qnsp.errors.family}: {@code qnsp}, {@code datahub}, {@code kpi},
 * {@code ratelimit}; see {@link io.qnsp.common.error.ErrorFamily} for the shapes). A service serving paths of several
 * families maps path patterns to families with {@code qnsp.errors.path-families.<family>=<pattern>,…} (most specific
 * pattern wins, see {@link io.qnsp.common.error.ApiFamilies}); the DataHub family's success envelope follows the same
 * mapping ({@code io.qnsp.common.envelope}). Domain code throws an
 * {@link io.qnsp.common.error.ApiException}; one controller advice, the {@code /error} page and the
 * {@link io.qnsp.common.error.ErrorResponseWriter} (for filters and security) render everything else. Client mistakes
 * are 4xx naming the offending field in {@code details.field} (first) and {@code details.fields}; anything unexpected
 * is a 500 {@code internal_error} whose text reveals nothing.
 *
 * <p>Unknown JSON fields in a request body are accepted and ignored: that is Jackson 3's default, which Boot 4 keeps,
 * and it lets clients send fields a newer API version adds. A missing or {@code null} primitive (e.g. {@code int})
 * is refused by Jackson 3 by default and reported as {@code "is required"} / {@code "must not be null"}: declare a
 * field that is optional with a default as a wrapper type ({@code Integer}).
 */
package io.qnsp.common.error;
