package dev.offload.transfer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where each of a row's columns is, by name: the row hooks' {@code has}, {@code get} and {@code set} look here. */
final class ColumnIndex {

    private final Map<String, Integer> positions = new LinkedHashMap<>();
    private final String subject;
    private final String verb;

    /** {@code subject} and {@code verb} name the row in a refusal: "the export" "has", "the file" "gives". */
    ColumnIndex(List<ResourceColumn> columns, String subject, String verb) {
        for (int i = 0; i < columns.size(); i++) {
            positions.put(columns.get(i).name(), i);
        }
        this.subject = subject;
        this.verb = verb;
    }

    boolean has(String column) {
        return positions.containsKey(column);
    }

    /** The column's position, or null when the row has no such column. */
    Integer find(String column) {
        return column == null ? null : positions.get(column);
    }

    /** The column's position; a column the row lacks is the hook's mistake, named with the ones there are. */
    int at(String column) {
        Integer i = positions.get(column);
        if (i == null) {
            throw new IllegalArgumentException(subject + " " + verb + " no column " + column + " (it " + verb + " "
                    + String.join(", ", positions.keySet()) + ")");
        }
        return i;
    }
}
