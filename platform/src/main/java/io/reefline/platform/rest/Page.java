package io.reefline.platform.rest;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, the shape every list endpoint answers: {@code {page, size, total, items}}.
 *
 * @param total how many items the whole list has
 */
public record Page<T>(int page, int size, long total, List<T> items) {

    public static <T> Page<T> of(PageRequest request, long total, List<T> items) {
        return new Page<>(request.page(), request.size(), total, List.copyOf(items));
    }

    /** The requested page of a list held whole in memory. */
    public static <T> Page<T> slice(PageRequest request, List<T> all) {
        int from = (int) Math.min(request.offset(), all.size());
        int to = (int) Math.min((long) from + request.size(), all.size());
        return of(request, all.size(), all.subList(from, to));
    }

    public <R> Page<R> map(Function<? super T, ? extends R> mapping) {
        return new Page<>(page, size, total, items.stream().<R>map(mapping).toList());
    }
}
