package dev.offload.job;

import dev.offload.web.InvalidParameterException;

/** The {@code page} and {@code size} query parameters of every listing, checked the same way. */
public final class Paging {

    public static final String DEFAULT_SIZE = "50";

    private Paging() {
    }

    /**
     * The page asked for: {@code page} a whole number ≥ 0, {@code size} one from 1 to {@code maxSize}; anything
     * else is a 400 naming the parameter (and the largest size).
     */
    public static PageRequest of(String page, String size, int maxSize) {
        int p = number("page", page == null ? "0" : page, 0, Integer.MAX_VALUE);
        int s = number("size", size == null ? DEFAULT_SIZE : size, 1, maxSize);
        return new PageRequest(p, s);
    }

    private static int number(String name, String value, int min, int max) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, "must be a whole number from " + min
                    + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ", not '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new InvalidParameterException(name, "must be from " + min
                    + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ", not " + parsed);
        }
        return (int) parsed;
    }
}
