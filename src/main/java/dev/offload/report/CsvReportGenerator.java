package dev.offload.report;

import dev.offload.tabular.CsvWriter;
import dev.offload.tabular.Sheet;
import java.io.OutputStream;

/**
 * A generator of one table as CSV ({@link CsvWriter}: RFC 4180, UTF-8, formula-like text escaped).
 * Subclasses give the {@link Sheet}; rows stream straight to storage.
 */
public abstract class CsvReportGenerator implements ReportGenerator {

    public static final String EXTENSION = CsvWriter.Format.CSV.extension();
    public static final String CONTENT_TYPE = CsvWriter.Format.CSV.contentType();

    @Override
    public String extension() {
        return EXTENSION;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** The table to write. */
    protected abstract Sheet sheet(ReportContext context) throws Exception;

    @Override
    public void generate(ReportContext context, OutputStream output) throws Exception {
        CsvWriter.write(sheet(context), context, output);
    }
}
