package io.qnsp.auth.federation;

import java.util.List;

/**
 * A query over the caller's events, as the caller sent it. Empty or missing lists do not filter.
 *
 * @param startTime  inclusive lower bound on the event time (ISO-8601 date-time with offset, or a date)
 * @param endTime    exclusive upper bound (a date means the end of that day)
 * @param eventTypes any of these event types
 * @param providers  any of these providers
 * @param userIds    any of these users
 * @param limit      events per page, {@code null} for the default
 * @param cursor     the {@code nextCursor} of the previous page, {@code null} for the first
 * @param order      {@code asc} (oldest first, the default) or {@code desc}
 */
public record EventFilter(String startTime, String endTime, List<String> eventTypes, List<String> providers,
                          List<String> userIds, Integer limit, String cursor, String order) {
}
