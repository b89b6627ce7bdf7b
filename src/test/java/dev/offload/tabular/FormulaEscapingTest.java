package dev.offload.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Text that a spreadsheet would run as a formula is written as text, in xlsx and in csv alike. */
class FormulaEscapingTest {

    private static final List<String> DANGEROUS = List.of("=1+1", "+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd",
            "=HYPERLINK(\"http://example.invalid\",\"x\")");

    private static final Sheet SHEET = new Sheet("Values", List.of(Column.text("text", 20), Column.integer("n", 5),
            Column.timestamp("at"), Column.decimal("seconds", 8)), DANGEROUS.size() + 1, sink -> {
                for (String text : DANGEROUS) {
                    sink.row(text, -3, OffsetDateTime.parse("2025-01-31T12:30:00Z"), -1.5);
                }
                sink.row("plain, with a \"quote\"", null, null, 2.5);
            });

    @Test
    void shouldWriteFormulaLikeStringsAsQuotePrefixedTextCellsInXlsx() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XlsxWriter.write(List.of(SHEET), Progress.NONE, out);

        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
            XSSFSheet sheet = workbook.getSheet("Values");
            for (int i = 0; i < DANGEROUS.size(); i++) {
                Row row = sheet.getRow(i + 1);
                assertEquals(CellType.STRING, row.getCell(0).getCellType(), "row " + i);
                assertEquals(DANGEROUS.get(i), row.getCell(0).getStringCellValue());
                assertTrue(row.getCell(0).getCellStyle().getQuotePrefixed(), "quote-prefixed: " + DANGEROUS.get(i));
                assertEquals(CellType.NUMERIC, row.getCell(1).getCellType(), "numbers stay numbers");
                assertEquals(-3, row.getCell(1).getNumericCellValue());
                assertTrue(DateUtil.isCellDateFormatted(row.getCell(2)), "a real date cell");
                assertEquals("2025-01-31T12:30", row.getCell(2).getLocalDateTimeCellValue().toString());
            }
            Row plain = sheet.getRow(DANGEROUS.size() + 1);
            assertFalse(plain.getCell(0).getCellStyle().getQuotePrefixed());
            assertEquals("plain, with a \"quote\"", plain.getCell(0).getStringCellValue());
            assertEquals(null, plain.getCell(1), "an empty cell stays empty");
            assertEquals(2.5, plain.getCell(3).getNumericCellValue(), "the cell after a gap is in its column");
            assertEquals("0.000", sheet.getRow(1).getCell(3).getCellStyle().getDataFormatString());
            assertEquals(-1.5, sheet.getRow(1).getCell(3).getNumericCellValue());
            assertTrue(sheet.getPaneInformation().isFreezePane(), "the header row is frozen");
            assertTrue(workbook.getFontAt(sheet.getRow(0).getCell(0).getCellStyle().getFontIndex()).getBold());
            assertEquals("A1:D9", sheet.getCTWorksheet().getAutoFilter().getRef());
            assertEquals(20 * 256, sheet.getColumnWidth(0));
        }
    }

    @Test
    void shouldPrefixFormulaLikeStringsWithAnApostropheInCsv() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriter.write(SHEET, Progress.NONE, out);

        List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\r\n", -1));
        assertEquals("text,n,at,seconds", lines.get(0));
        assertEquals("'=1+1,-3,2025-01-31T12:30:00.000Z,-1.500", lines.get(1));
        assertEquals("'+1,-3,2025-01-31T12:30:00.000Z,-1.500", lines.get(2));
        assertEquals("'-2,-3,2025-01-31T12:30:00.000Z,-1.500", lines.get(3));
        assertEquals("'@SUM(A1),-3,2025-01-31T12:30:00.000Z,-1.500", lines.get(4));
        assertEquals("\"'\tcmd\",-3,2025-01-31T12:30:00.000Z,-1.500", lines.get(5));
        assertEquals("\"'\rcmd\",-3,2025-01-31T12:30:00.000Z,-1.500", lines.get(6));
        assertEquals("\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\",-3,2025-01-31T12:30:00.000Z,-1.500",
                lines.get(7));
        assertEquals("\"plain, with a \"\"quote\"\"\",,,2.500", lines.get(8));
    }
}
