package dev.offload.report;

import java.io.OutputStream;
import java.util.List;
import java.util.zip.Deflater;

/**
 * A generator of an xlsx workbook, written as it streams so memory is flat whatever the row count. Each
 * {@link Sheet} gets a bold, frozen header row with an auto-filter, its declared column widths, real number
 * and date cells, and formula-like text as quote-prefixed text. A sheet longer than Excel's row limit
 * continues on a sheet named "name (2)".
 */
public abstract class ExcelReportGenerator implements ReportGenerator {

    public static final String EXTENSION = "xlsx";
    public static final String CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    /**
     * Deflate level of the package: level 1 writes a workbook several times faster than the default 6 for
     * a file a little larger (sheet XML compresses well at any level).
     */
    static final int COMPRESSION_LEVEL = Deflater.BEST_SPEED;

    @Override
    public String extension() {
        return EXTENSION;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** The worksheets to write, in order; their rows are produced while writing. */
    protected abstract List<Sheet> sheets(ReportContext context) throws Exception;

    @Override
    public void generate(ReportContext context, OutputStream output) throws Exception {
        write(sheets(context), context, output);
    }

    /** Writes {@code sheets} as one workbook into {@code output}. */
    public static void write(List<Sheet> sheets, ReportContext context, OutputStream output) throws Exception {
        if (sheets.isEmpty()) {
            throw new IllegalArgumentException("a workbook needs at least one sheet");
        }
        StreamingXlsxWriter.write(sheets, context, output, COMPRESSION_LEVEL);
    }
}
