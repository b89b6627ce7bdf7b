package dev.offload.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A key path pattern naming one segment, as in {@code asset_counts.by_institution.{institution}.total}:
 * the named segment and {@code *} each stand for exactly one segment of a key path. It becomes its
 * literal head (so an index can narrow the rows to the keys below it) and an anchored regular
 * expression whose only group is the named segment.
 */
record SegmentPattern(String pattern, String segment, String head, String regex) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final String REGEX_SPECIAL = "\\^$.|?*+()[]{}";

    /** @throws IllegalArgumentException with a message fit for the client */
    static SegmentPattern parse(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("is required, e.g. asset_counts.by_institution.{institution}.total");
        }
        String segment = null;
        StringBuilder regex = new StringBuilder("^");
        List<String> literalHead = new ArrayList<>();
        boolean inHead = true;
        String[] parts = pattern.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i > 0) {
                regex.append("\\.");
            }
            var placeholder = PLACEHOLDER.matcher(part);
            if (placeholder.matches()) {
                if (segment != null) {
                    throw new IllegalArgumentException("names more than one segment; name one and write * for the others");
                }
                segment = placeholder.group(1);
                regex.append("([^.]+)");
                inHead = false;
            } else if (part.equals("*")) {
                regex.append("[^.]+");
                inHead = false;
            } else if (part.contains("{") || part.contains("}") || part.contains("*")) {
                throw new IllegalArgumentException("has '" + part + "': a segment is a name, {name} or *");
            } else {
                quote(part, regex);
                if (inHead) {
                    literalHead.add(part);
                }
            }
        }
        if (segment == null) {
            throw new IllegalArgumentException("names no segment: write the one to list as {name}");
        }
        return new SegmentPattern(pattern, segment, String.join(".", literalHead), regex.append('$').toString());
    }

    private static void quote(String literal, StringBuilder regex) {
        for (char c : literal.toCharArray()) {
            if (REGEX_SPECIAL.indexOf(c) >= 0) {
                regex.append('\\');
            }
            regex.append(c);
        }
    }
}
