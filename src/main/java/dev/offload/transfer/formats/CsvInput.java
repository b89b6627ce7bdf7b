package dev.offload.transfer.formats;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Delimited text by RFC 4180 (comma by default, tab for TSV), UTF-8 with an optional BOM, read by FastCSV. As
 * PostgreSQL's COPY: an unquoted empty field is NULL, a quoted empty one ({@code ""}) the empty string. A blank
 * line is a row of one NULL field, as it is for COPY (so it is refused, not skipped).
 */
public final class CsvInput implements TableInput {

    private final CsvReader<Object[]> reader;
    private final CloseableIterator<Object[]> rows;
    private final int maxCell;
    private List<String> header;

    public CsvInput(InputStream in, char delimiter, int maxCell) {
        this.maxCell = maxCell;
        this.reader = CsvReader.builder().fieldSeparator(delimiter).quoteCharacter('"').skipEmptyLines(false)
                .allowExtraFields(true).allowMissingFields(true).maxBufferSize(Math.max(maxCell, 16 * 1024))
                .build(new Fields(), new StrictUtf8Reader(in));
        this.rows = reader.iterator();
    }

    @Override
    public List<String> header() throws IOException {
        if (header == null) {
            header = TableInput.names(read(), "the file is empty: no header");
        }
        return header;
    }

    @Override
    public Object[] next() throws IOException, RowProblem {
        header();
        Object[] row = read();
        if (row == null) {
            return null;
        }
        if (row.length != header.size()) {
            Object[] aligned = Arrays.copyOf(row, header.size());
            throw new RowProblem(null, "has " + row.length + " fields, the header " + header.size(), aligned);
        }
        return row;
    }

    private Object[] read() throws IOException {
        try {
            return rows.hasNext() ? rows.next() : null;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (CsvParseException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("the file cannot be read as CSV: " + e.getMessage()
                    + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""), e);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Fields as they come: null for an unquoted empty field, the text otherwise. */
    private final class Fields extends AbstractBaseCsvCallbackHandler<Object[]> {
        private final List<Object> fields = new ArrayList<>();

        @Override
        protected void handleBegin(long startingLineNumber) {
            fields.clear();
        }

        @Override
        protected void handleField(int index, char[] buffer, int offset, int length, boolean quoted) {
            if (length > maxCell) {
                throw new UncheckedIOException(new IOException("a field of " + length
                        + " characters is longer than the limit of " + maxCell));
            }
            fields.add(length == 0 && !quoted ? null : new String(buffer, offset, length));
        }

        @Override
        protected void handleEmpty() {
            fields.clear();
            fields.add(null);
        }

        @Override
        protected Object[] buildRecord() {
            return fields.toArray();
        }
    }
}
