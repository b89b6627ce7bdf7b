package dev.offload.transfer.formats;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of an uploaded file, one at a time, whatever its format. An unreadable file (bad encoding, broken
 * structure, a limit passed) throws {@link IOException}, which ends a parse in {@code parse_error}.
 */
public interface TableInput extends Closeable {

    /** The header, as the file names its columns (read first). */
    List<String> header() throws IOException;

    /** A header row's values as column names (an empty cell: an empty name); {@code empty} when there is no row. */
    static List<String> names(Object[] first, String empty) throws IOException {
        if (first == null) {
            throw new IOException(empty);
        }
        List<String> names = new ArrayList<>();
        for (Object name : first) {
            names.add(name == null ? "" : name.toString());
        }
        return List.copyOf(names);
    }

    /** The next row, values aligned with the header; null after the last. */
    Object[] next() throws IOException, RowProblem;

    /** A row the format itself refuses (a duplicated JSON key, say): the reader goes on with the next. */
    final class RowProblem extends Exception {
        private final String column;
        private final transient Object[] values;

        public RowProblem(String column, String message, Object[] values) {
            super(message, null, false, false);
            this.column = column;
            this.values = values;
        }

        public String column() {
            return column;
        }

        public Object[] values() {
            return values;
        }
    }

    /** The whole file is refused for what it says (an unknown key): {@code input_error}, not {@code parse_error}. */
    final class InputProblem extends IOException {
        private final String column;

        public InputProblem(String column, String message) {
            super(message);
            this.column = column;
        }

        public String column() {
            return column;
        }
    }
}
