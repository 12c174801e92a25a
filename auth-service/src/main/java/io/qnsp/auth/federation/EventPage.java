package io.qnsp.auth.federation;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One page of a query.
 *
 * @param events     the events, in the query's order
 * @param nextCursor where the next page starts, {@code null} on the last page
 * @param total      how many events match the filters (on all pages)
 */
public record EventPage(List<EventView> events, @Nullable String nextCursor, long total) {
}
