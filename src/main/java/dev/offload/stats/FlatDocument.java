package dev.offload.stats;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A JSON document flattened: its numeric leaves (booleans as 1 and 0) by dotted key path, in document
 * order, and a count of the leaves that were not stored and why.
 */
public final class FlatDocument {

    private final List<String> keys = new ArrayList<>();
    private final List<BigDecimal> values = new ArrayList<>();
    private long strings;
    private long nulls;
    private long duplicates;
    private long outOfRange;

    void add(String key, BigDecimal value) {
        keys.add(key);
        values.add(value);
    }

    void skipString() {
        strings++;
    }

    void skipNull() {
        nulls++;
    }

    void skipDuplicate() {
        duplicates++;
    }

    void skipOutOfRange() {
        outOfRange++;
    }

    public int size() {
        return keys.size();
    }

    public List<String> keys() {
        return keys;
    }

    public List<BigDecimal> values() {
        return values;
    }

    public long strings() {
        return strings;
    }

    public long nulls() {
        return nulls;
    }

    /** Leaves whose key path an earlier leaf already had (a key with a dot in it, a repeated key). */
    public long duplicates() {
        return duplicates;
    }

    /** Numbers beyond what a PostgreSQL numeric holds. */
    public long outOfRange() {
        return outOfRange;
    }

    public long skipped() {
        return strings + nulls + duplicates + outOfRange;
    }

    /** "2 strings, 1 null", or "" when nothing was skipped. */
    public String describeSkipped() {
        StringJoiner parts = new StringJoiner(", ");
        count(parts, strings, "string", "strings");
        count(parts, nulls, "null", "nulls");
        count(parts, duplicates, "duplicate key path", "duplicate key paths");
        count(parts, outOfRange, "number out of range", "numbers out of range");
        return parts.toString();
    }

    private static void count(StringJoiner parts, long n, String one, String many) {
        if (n > 0) {
            parts.add(n + " " + (n == 1 ? one : many));
        }
    }
}
