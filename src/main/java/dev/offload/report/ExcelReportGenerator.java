package dev.offload.report;

import dev.offload.tabular.Sheet;
import dev.offload.tabular.XlsxWriter;
import java.io.OutputStream;
import java.util.List;

/**
 * A generator of an xlsx workbook ({@link XlsxWriter}: written as it streams, so memory is flat whatever
 * the row count). Subclasses give the sheets; their rows are produced while writing.
 */
public abstract class ExcelReportGenerator implements ReportGenerator {

    public static final String EXTENSION = XlsxWriter.EXTENSION;
    public static final String CONTENT_TYPE = XlsxWriter.CONTENT_TYPE;

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
        XlsxWriter.write(sheets(context), context, output);
    }
}
