package io.qnsp.common.envelope;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, as a controller returns it; the DataHub family renders it as {@code data} plus
 * {@code pagination} (see {@link DataHubEnvelope}), other families as this record.
 *
 * @param items      the page's items
 * @param page       the page number, from 1
 * @param pageSize   the requested page size
 * @param totalItems items on all pages
 * @param totalPages pages needed for all items at this page size (0 for none)
 */
public record Paged<T>(List<T> items, int page, int pageSize, long totalItems, long totalPages) {

    public Paged {
        if (page < 1 || pageSize < 1 || totalItems < 0) {
            throw new IllegalArgumentException("page and pageSize must be at least 1, totalItems not negative");
        }
        items = List.copyOf(items);
    }

    /** A page, computing {@code totalPages}. */
    public static <T> Paged<T> of(List<T> items, int page, int pageSize, long totalItems) {
        long totalPages = totalItems == 0 ? 0 : (totalItems + pageSize - 1) / pageSize;
        return new Paged<>(items, page, pageSize, totalItems, totalPages);
    }

    /** The same page with each item converted. */
    public <R> Paged<R> map(Function<? super T, ? extends R> mapper) {
        return new Paged<>(items.stream().<R>map(mapper).toList(), page, pageSize, totalItems, totalPages);
    }
}
