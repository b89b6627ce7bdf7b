package dev.offload.report;

import dev.offload.tabular.CsvWriter;
import dev.offload.tabular.Sheet;
import dev.offload.tabular.XlsxWriter;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A generator of one table that the client takes as xlsx or csv (option {@code format}, default xlsx):
 * subclasses give the {@link Sheet} and their own options; {@link XlsxWriter} or {@link CsvWriter} writes it.
 */
public abstract class TabularReportGenerator implements ReportGenerator {

    public static final ReportOption FORMAT = ReportOption.choice("format", "xlsx (a workbook) or csv",
            ExcelReportGenerator.EXTENSION, ExcelReportGenerator.EXTENSION, CsvReportGenerator.EXTENSION);

    @Override
    public String extension() {
        return ExcelReportGenerator.EXTENSION;
    }

    @Override
    public String contentType() {
        return ExcelReportGenerator.CONTENT_TYPE;
    }

    /** The subclass's own options; {@code format} is added. */
    protected abstract List<ReportOption> tableOptions();

    /** The table to write. */
    protected abstract Sheet sheet(ReportContext context) throws Exception;

    @Override
    public final List<ReportOption> options() {
        List<ReportOption> all = new ArrayList<>(tableOptions());
        all.add(FORMAT);
        return all;
    }

    @Override
    public ReportOutput output(ReportOptions options) {
        return CsvReportGenerator.EXTENSION.equals(options.choice(FORMAT))
                ? new ReportOutput(CsvReportGenerator.EXTENSION, CsvReportGenerator.CONTENT_TYPE)
                : new ReportOutput(ExcelReportGenerator.EXTENSION, ExcelReportGenerator.CONTENT_TYPE);
    }

    @Override
    public void generate(ReportContext context, OutputStream output) throws Exception {
        Sheet sheet = sheet(context);
        if (CsvReportGenerator.EXTENSION.equals(context.output().extension())) {
            CsvWriter.write(sheet, context, output);
        } else {
            XlsxWriter.write(List.of(sheet), context, output);
        }
    }
}
