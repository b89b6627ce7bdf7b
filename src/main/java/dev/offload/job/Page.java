package dev.offload.job;

import java.util.List;
import java.util.function.Function;

/** One page of a listing, newest first; {@code has_more} tells whether another page follows. */
public record Page<T>(List<T> items, int page, int size, boolean hasMore) {

    public <U> Page<U> map(Function<? super T, ? extends U> mapper) {
        return new Page<>(items.stream().<U>map(mapper).toList(), page, size, hasMore);
    }
}
