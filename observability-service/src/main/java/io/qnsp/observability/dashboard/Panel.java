package io.qnsp.observability.dashboard;

import org.jspecify.annotations.Nullable;

/**
 * One panel of a dashboard, placed on the layout's grid.
 *
 * @param query for {@code chart}, {@code metric} and {@code table} panels a metric the service knows, optionally
 *              under an aggregation ({@code avg(error_rate)}); for {@code text} panels the text shown, if any
 */
public record Panel(String type, String title, @Nullable String query, Position position) {

    /** The panel's cell range: columns {@code x} to {@code x + w - 1}, rows {@code y} to {@code y + h - 1}. */
    public record Position(int x, int y, int w, int h) {

        boolean overlaps(Position other) {
            return x < other.x + other.w && other.x < x + w && y < other.y + other.h && other.y < y + h;
        }
    }
}
