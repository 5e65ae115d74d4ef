package io.reefline.platform.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/**
 * {@code ?page=&size=} of every list, with the same defaults and bounds everywhere (take it as
 * {@code @Valid @BeanParam PageRequest paging}). Pages count from 0; the bounds keep {@code page * size} far below
 * {@code Integer.MAX_VALUE}, and the offset is computed as a long anyway.
 */
public class PageRequest {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 1000;
    /** Far beyond any real list; a bigger page number is a client error, not an empty page. */
    public static final int MAX_PAGE = 1_000_000;

    @QueryParam("page")
    @DefaultValue("0")
    @Min(0)
    @Max(MAX_PAGE)
    int page;

    @QueryParam("size")
    @DefaultValue("" + DEFAULT_SIZE)
    @Min(1)
    @Max(MAX_SIZE)
    int size;

    public PageRequest() {
        this(0, DEFAULT_SIZE);
    }

    public PageRequest(int page, int size) {
        this.page = page;
        this.size = size;
    }

    public int page() {
        return page;
    }

    public int size() {
        return size;
    }

    /** The index of the page's first item. */
    public long offset() {
        return (long) page * size;
    }

    /** {@link #offset()} for APIs that take an int (JPA's first result); the bounds make it fit. */
    public int firstResult() {
        return (int) Math.min(offset(), Integer.MAX_VALUE);
    }
}
