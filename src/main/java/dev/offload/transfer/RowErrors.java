package dev.offload.transfer;

import dev.offload.transfer.ImportRun.RowError;
import dev.offload.transfer.formats.Cell;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The refused rows of one pass over a file: every one counted, the first ones kept as given. */
final class RowErrors {

    private final TransferResource resource;
    private final int keep;
    private final List<RowError> stored = new ArrayList<>();
    private long count;
    private List<String> fileHeader = List.of();

    /** Keeps up to {@code keep} refused rows ({@code offload.transfer.max-stored-errors}). */
    RowErrors(TransferResource resource, int keep) {
        this.resource = resource;
        this.keep = keep;
    }

    /** The file's header, by which rows refused after conversion are put back in the file's order. */
    void header(List<String> header) {
        fileHeader = header;
    }

    /** Rows refused so far. */
    long count() {
        return count;
    }

    /** The kept rows, in the file's order. */
    List<RowError> sorted() {
        stored.sort(Comparator.comparingLong(RowError::row));
        return List.copyOf(stored);
    }

    /** Row {@code row}, as the reader gave its values, refused for {@code errors}. */
    void add(long row, Object[] values, List<Map<String, String>> errors) {
        count++;
        if (stored.size() < keep) {
            List<String> raw = new ArrayList<>();
            if (values != null) {
                for (Object v : values) {
                    raw.add(Cell.text(v));
                }
            }
            stored.add(new RowError(row, raw, errors));
        }
    }

    /** A row refused after conversion: its values (by column header) put back in the file's order. */
    void addByColumn(long row, Map<String, String> byHeader, List<Map<String, String>> errors) {
        Object[] raw = new Object[fileHeader.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = resource.byHeader(fileHeader.get(i)).map(col -> byHeader.get(col.header())).orElse(null);
        }
        add(row, raw, errors);
    }

    /** The whole file refused, for {@code problems} (row 0), before its rows. */
    void refuseFile(List<Map<String, String>> problems) {
        stored.add(0, new RowError(0, null, problems));
    }

    /** One error: the column (header) at fault, the value as given, and why. */
    static Map<String, String> error(String column, String value, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("column", column);
        error.put("value", value);
        error.put("message", message);
        return error;
    }
}
