package dev.offload.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Flattens a JSON object into dotted key paths, as gatherstats does: nested objects join their keys
 * with dots ({@code asset_counts.by_institution.INSTA.completed}), array elements take their index
 * ({@code items.0.count}). Numbers are kept exactly as written, booleans become 1 and 0; strings and
 * nulls are counted, not kept. The document is read as a stream, so the depth limit holds while reading.
 * {@link #nest} turns flat paths back into the nested shape.
 */
public final class Flattener {

    /** The largest digit counts before and after the point a PostgreSQL numeric holds. */
    private static final int NUMERIC_MAX_INTEGER_DIGITS = 131_072;
    private static final int NUMERIC_MAX_SCALE = 16_383;
    private static final BigDecimal TRUE = BigDecimal.ONE;
    private static final BigDecimal FALSE = BigDecimal.ZERO;

    private Flattener() {
    }

    public static FlatDocument flatten(String json, int maxDepth) {
        try {
            return flatten(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), maxDepth);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads one JSON object from {@code in} (UTF-8, or any encoding JSON allows) and flattens it.
     *
     * @param maxDepth the deepest nesting accepted; the root object is level 1
     * @throws StatsInputException when the input is not a JSON object within the limits
     * @throws IOException when reading fails (a body over its size limit, a connection that broke)
     */
    public static FlatDocument flatten(InputStream in, int maxDepth) throws IOException {
        BufferedInputStream input = new BufferedInputStream(in, 64 * 1024);
        refuseMarkup(input);
        JsonFactory factory = JsonFactory.builder()
                // One above ours, so the error names the key path rather than Jackson's setting.
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth + 1).build())
                .build();
        try (JsonParser parser = factory.createParser(input)) {
            return flatten(parser, maxDepth);
        } catch (JsonProcessingException e) {
            throw new StatsInputException("not JSON: " + firstLine(e.getOriginalMessage()) + where(e.getLocation()));
        }
    }

    private static FlatDocument flatten(JsonParser parser, int maxDepth) throws IOException {
        JsonToken root = parser.nextToken();
        if (root == null) {
            throw new StatsInputException("not JSON: the body is empty");
        }
        if (root != JsonToken.START_OBJECT) {
            throw new StatsInputException("the root is " + describe(root) + ", not an object");
        }
        FlatDocument document = new FlatDocument();
        Set<String> seen = new HashSet<>();
        StringBuilder path = new StringBuilder();
        // Per open container (index = depth, the root object at 1): is it an array, the next array
        // index, and the length of the container's own path.
        boolean[] array = new boolean[maxDepth + 2];
        int[] index = new int[maxDepth + 2];
        int[] base = new int[maxDepth + 2];
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                depth--;
                continue;
            }
            if (token == JsonToken.FIELD_NAME) {
                enter(path, base[depth], depth).append(parser.currentName());
                continue;
            }
            if (array[depth]) {
                enter(path, base[depth], depth).append(index[depth]++);
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> {
                    if (depth == maxDepth) {
                        throw new StatsInputException("nested deeper than " + maxDepth + " levels at '"
                                + shorten(path) + "'");
                    }
                    depth++;
                    array[depth] = token == JsonToken.START_ARRAY;
                    index[depth] = 0;
                    base[depth] = path.length();
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> leaf(document, seen, path, parser.getDecimalValue());
                case VALUE_TRUE -> leaf(document, seen, path, TRUE);
                case VALUE_FALSE -> leaf(document, seen, path, FALSE);
                case VALUE_STRING -> document.skipString();
                case VALUE_NULL -> document.skipNull();
                default -> throw new StatsInputException("not JSON: unexpected " + token + where(parser.currentLocation()));
            }
        }
        JsonToken after = parser.nextToken();
        if (after != null) {
            throw new StatsInputException("not JSON: more content after the root object" + where(parser.currentLocation()));
        }
        return document;
    }

    /** Positions {@code path} on a child of the container whose path has length {@code base}. */
    private static StringBuilder enter(StringBuilder path, int base, int depth) {
        path.setLength(base);
        if (depth > 1) {
            path.append('.');
        }
        return path;
    }

    private static void leaf(FlatDocument document, Set<String> seen, StringBuilder path, BigDecimal value) {
        if (path.length() > Statistic.KEY_LENGTH
                && path.codePointCount(0, path.length()) > Statistic.KEY_LENGTH) {
            throw new StatsInputException("a key path is longer than " + Statistic.KEY_LENGTH + " characters: '"
                    + shorten(path) + "'");
        }
        if (!fitsNumeric(value)) {
            document.skipOutOfRange();
            return;
        }
        String key = path.toString();
        if (!seen.add(key)) {
            document.skipDuplicate();
            return;
        }
        document.add(key, value);
    }

    private static boolean fitsNumeric(BigDecimal value) {
        BigDecimal v = value.scale() > NUMERIC_MAX_SCALE ? value.stripTrailingZeros() : value;
        return v.scale() <= NUMERIC_MAX_SCALE && (long) v.precision() - v.scale() <= NUMERIC_MAX_INTEGER_DIGITS;
    }

    /** An HTML error page answered with status 200 is the common failure: say so rather than quote Jackson. */
    private static void refuseMarkup(BufferedInputStream input) throws IOException {
        input.mark(1024);
        try {
            for (int i = 0; i < 1024; i++) {
                int c = input.read();
                if (c == '<') {
                    throw new StatsInputException("an HTML or XML page, not JSON");
                }
                if (c < 0 || !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF)) {
                    return;
                }
            }
        } finally {
            input.reset();
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static String shorten(CharSequence path) {
        return path.length() <= 80 ? path.toString() : path.subSequence(0, 77) + "...";
    }

    /**
     * The nested shape of flat key paths: the inverse of {@link #flatten}, as far as flattening kept
     * the document. A node whose children are exactly 0..n-1 becomes an array; a path whose place a
     * value already took (a key with a dot in it) is left out. Objects list their keys in path order.
     */
    public static Map<String, Object> nest(Map<String, BigDecimal> flat) {
        Map<String, Object> root = new TreeMap<>();
        for (Map.Entry<String, BigDecimal> entry : flat.entrySet()) {
            put(root, entry.getKey().split("\\.", -1), entry.getValue());
        }
        // The root was an object, whatever its keys look like.
        Map<String, Object> object = new LinkedHashMap<>();
        root.forEach((k, v) -> object.put(k, shape(v)));
        return object;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String[] segments, BigDecimal value) {
        Map<String, Object> node = root;
        for (int i = 0; i < segments.length - 1; i++) {
            Object child = node.computeIfAbsent(segments[i], k -> new TreeMap<String, Object>());
            if (!(child instanceof Map)) {
                return;
            }
            node = (Map<String, Object>) child;
        }
        node.putIfAbsent(segments[segments.length - 1], value);
    }

    @SuppressWarnings("unchecked")
    private static Object shape(Object node) {
        if (!(node instanceof Map)) {
            return node;
        }
        Map<String, Object> map = (Map<String, Object>) node;
        if (isIndexed(map)) {
            List<Object> list = new ArrayList<>(map.size());
            for (int i = 0; i < map.size(); i++) {
                list.add(shape(map.get(Integer.toString(i))));
            }
            return list;
        }
        Map<String, Object> object = new LinkedHashMap<>();
        map.forEach((k, v) -> object.put(k, shape(v)));
        return object;
    }

    /** Children named exactly 0, 1, ..., n-1 (no gaps, no leading zeros). */
    private static boolean isIndexed(Map<String, Object> map) {
        if (map.isEmpty()) {
            return false;
        }
        for (int i = 0; i < map.size(); i++) {
            if (!map.containsKey(Integer.toString(i))) {
                return false;
            }
        }
        return true;
    }
}
