package dev.offload.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Each column type as a cell of its own kind in xlsx, and as its text in csv. */
class CellTypesTest {

    private static final Sheet SHEET = new Sheet("Types", List.of(Column.bool("done", 6), Column.integer("n", 8),
            Column.bool("paid", 6), Column.timestamp("at")), 3, sink -> {
                sink.row(true, 1, false, Instant.parse("2025-03-01T00:00:00.250Z"));
                sink.row(null, 2, true, null);
                sink.row(false, null, null, Instant.parse("1969-12-31T23:59:59Z"));
            });

    @Test
    void shouldWriteBooleansAsBooleanCellsInXlsx() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XlsxWriter.write(List.of(SHEET), Progress.NONE, out);

        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
            XSSFSheet sheet = workbook.getSheet("Types");
            Row first = sheet.getRow(1);
            assertEquals(CellType.BOOLEAN, first.getCell(0).getCellType());
            assertEquals(true, first.getCell(0).getBooleanCellValue());
            assertEquals(1.0, first.getCell(1).getNumericCellValue());
            assertEquals(false, first.getCell(2).getBooleanCellValue());
            assertEquals("2025-03-01T00:00:00.250", first.getCell(3).getLocalDateTimeCellValue().toString());
            Row second = sheet.getRow(2);
            assertNull(second.getCell(0), "an empty cell stays empty");
            assertEquals(true, second.getCell(2).getBooleanCellValue(), "the cell after a gap is in its column");
            Row third = sheet.getRow(3);
            assertEquals(false, third.getCell(0).getBooleanCellValue());
            assertEquals("1969-12-31T23:59:59", third.getCell(3).getLocalDateTimeCellValue().toString());
        }
    }

    @Test
    void shouldWriteBooleansAsTrueOrFalseInCsv() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriter.write(SHEET, Progress.NONE, out);

        assertEquals("done,n,paid,at\r\n"
                + "true,1,false,2025-03-01T00:00:00.250Z\r\n"
                + ",2,true,\r\n"
                + "false,,,1969-12-31T23:59:59.000Z\r\n", out.toString(StandardCharsets.UTF_8));
    }
}
