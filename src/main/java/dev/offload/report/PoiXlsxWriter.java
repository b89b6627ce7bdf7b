package dev.offload.report;

import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.streaming.SXSSFCell;
import org.apache.poi.xssf.streaming.SXSSFRow;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * Writes a workbook with Apache POI's streaming workbook (SXSSF): rows go to a temporary file as they come and
 * only a small window stays in memory; the package is zipped from the temporary files at the end.
 */
final class PoiXlsxWriter {

    /** Rows kept in memory before they are flushed to the temporary file. */
    private static final int WINDOW = 64;

    private PoiXlsxWriter() {
    }

    /** Writes {@code sheets} as one workbook into {@code output}. */
    static void write(List<Sheet> sheets, ReportContext context, OutputStream output, int level) throws Exception {
        long expected = sheets.stream().mapToLong(Sheet::expectedRows).sum();
        RowProgress progress = new RowProgress(context, expected);
        SXSSFWorkbook workbook = new FastSXSSFWorkbook(level);
        try (workbook) {
            // Compressing the temporary files would double the deflate work for no memory gain.
            workbook.setCompressTempFiles(false);
            Styles styles = new Styles(workbook);
            Set<String> names = new HashSet<>();
            for (Sheet sheet : sheets) {
                new SheetWriter(workbook, styles, sheet, names, progress).write();
            }
            workbook.write(output);
            output.flush();
        } finally {
            workbook.dispose();
        }
        progress.finished();
    }

    /** Created once per workbook: a style per cell is what makes large workbooks slow and invalid. */
    private static final class Styles {
        final CellStyle header;
        final CellStyle timestamp;
        final CellStyle decimal;
        final CellStyle text;

        Styles(SXSSFWorkbook workbook) {
            Font bold = workbook.createFont();
            bold.setBold(true);
            header = workbook.createCellStyle();
            header.setFont(bold);
            timestamp = workbook.createCellStyle();
            timestamp.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            decimal = workbook.createCellStyle();
            decimal.setDataFormat(workbook.createDataFormat().getFormat("0.000"));
            text = workbook.createCellStyle();
            text.setQuotePrefixed(true);
        }
    }

    /** Writes one {@link Sheet}, continuing on a new worksheet at Excel's row limit. */
    private static final class SheetWriter {
        private static final int MAX_ROWS = SpreadsheetVersion.EXCEL2007.getMaxRows();

        private final SXSSFWorkbook workbook;
        private final Styles styles;
        private final Sheet sheet;
        private final Set<String> names;
        private final RowProgress progress;
        private final Column.Type[] types;
        private SXSSFSheet current;
        private int part;
        private int rowIndex;

        SheetWriter(SXSSFWorkbook workbook, Styles styles, Sheet sheet, Set<String> names, RowProgress progress) {
            this.workbook = workbook;
            this.styles = styles;
            this.sheet = sheet;
            this.names = names;
            this.progress = progress;
            this.types = sheet.columns().stream().map(Column::type).toArray(Column.Type[]::new);
        }

        void write() throws Exception {
            begin();
            sheet.rows().write(values -> {
                if (values.length != types.length) {
                    throw new IllegalArgumentException("a row of " + sheet.name() + " has " + values.length
                            + " values for " + types.length + " columns");
                }
                if (rowIndex == MAX_ROWS) {
                    end();
                    begin();
                }
                SXSSFRow row = current.createRow(rowIndex++);
                for (int i = 0; i < types.length; i++) {
                    Object value = values[i];
                    if (value != null) {
                        cell(row.createCell(i), types[i], value);
                    }
                }
                progress.row();
            });
            end();
        }

        private void cell(SXSSFCell cell, Column.Type type, Object value) {
            switch (type) {
                case TEXT -> {
                    String text = SpreadsheetText.truncate(value.toString());
                    cell.setCellValue(text);
                    if (SpreadsheetText.looksLikeFormula(text)) {
                        cell.setCellStyle(styles.text);
                    }
                }
                case INTEGER -> cell.setCellValue(((Number) value).doubleValue());
                case DECIMAL -> {
                    cell.setCellValue(((Number) value).doubleValue());
                    cell.setCellStyle(styles.decimal);
                }
                case TIMESTAMP -> {
                    cell.setCellValue(UtcTimestamps.excelSerial(UtcTimestamps.epochMillis(value)));
                    cell.setCellStyle(styles.timestamp);
                }
            }
        }

        private void begin() {
            part++;
            current = workbook.createSheet(uniqueName(part == 1 ? sheet.name() : sheet.name() + " (" + part + ")"));
            List<Column> columns = sheet.columns();
            SXSSFRow header = current.createRow(0);
            for (int i = 0; i < columns.size(); i++) {
                SXSSFCell cell = header.createCell(i);
                cell.setCellValue(columns.get(i).header());
                cell.setCellStyle(styles.header);
                current.setColumnWidth(i, Math.min(255, Math.max(4, columns.get(i).width())) * 256);
            }
            current.createFreezePane(0, 1);
            rowIndex = 1;
        }

        private void end() {
            current.setAutoFilter(new CellRangeAddress(0, rowIndex - 1, 0, types.length - 1));
        }

        private String uniqueName(String wanted) {
            String base = WorkbookUtil.createSafeSheetName(wanted);
            String name = base;
            for (int n = 2; !names.add(name.toLowerCase(java.util.Locale.ROOT)); n++) {
                String suffix = " " + n;
                name = base.substring(0, Math.min(base.length(), 31 - suffix.length())) + suffix;
            }
            return name;
        }
    }

    /** The streaming workbook, packaged at the given deflate level. */
    private static final class FastSXSSFWorkbook extends SXSSFWorkbook {
        private final int level;

        FastSXSSFWorkbook(int level) {
            super(WINDOW);
            this.level = level;
        }

        @Override
        protected ZipArchiveOutputStream createArchiveOutputStream(OutputStream out) {
            ZipArchiveOutputStream zip = super.createArchiveOutputStream(out);
            zip.setLevel(level);
            return zip;
        }
    }
}
