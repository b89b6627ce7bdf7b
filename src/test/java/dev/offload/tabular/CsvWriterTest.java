package dev.offload.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Comma- and tab-separated text that an RFC 4180 reader (FastCSV's) reads back field for field. */
class CsvWriterTest {

    private static final List<String> TEXTS = List.of("plain", "with, a comma", "with \"quotes\"", "two\nlines",
            "a\rreturn", "a\ttab", "ünïcödé 😀 €", "", "#not a comment", "'already quoted", "=1+1", "\tcmd", "-",
            "x".repeat(70_000));

    private static Sheet texts() {
        return new Sheet("Texts", List.of(Column.integer("n", 4), Column.text("text, as given", 30),
                Column.decimal("d", 6), Column.timestamp("at"), Column.bool("b", 5)), TEXTS.size(), sink -> {
                    for (int i = 0; i < TEXTS.size(); i++) {
                        sink.row(i, TEXTS.get(i), i / 8.0, Instant.ofEpochMilli(1_700_000_000_123L + i), i % 2 == 0);
                    }
                    sink.row(null, null, null, null, null);
                });
    }

    private static String written(Sheet sheet, CsvWriter.Format format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriter.write(sheet, format, Progress.NONE, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<List<String>> read(String text, CsvWriter.Format format) throws Exception {
        try (CsvReader<CsvRecord> reader = CsvReader.builder().fieldSeparator(format.separator()).ofCsvRecord(text)) {
            return reader.stream().map(CsvRecord::getFields).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(CsvWriter.Format.class)
    void shouldBeReadBackFieldForFieldWithFormulasKeptAsText(CsvWriter.Format format) throws Exception {
        List<List<String>> records = read(written(texts(), format), format);

        List<List<String>> expected = new ArrayList<>();
        expected.add(List.of("n", "text, as given", "d", "at", "b"));
        for (int i = 0; i < TEXTS.size(); i++) {
            String text = TEXTS.get(i);
            expected.add(List.of(Integer.toString(i), SpreadsheetText.looksLikeFormula(text) ? "'" + text : text,
                    String.format(Locale.ROOT, "%.3f", i / 8.0),
                    Instant.ofEpochMilli(1_700_000_000_123L + i).toString(), Boolean.toString(i % 2 == 0)));
        }
        expected.add(List.of("", "", "", "", ""));
        assertEquals(expected, records);
    }

    @Test
    void shouldEndLinesWithCrLfAndQuoteOnlyWhatTheSeparatorMakesAmbiguous() throws Exception {
        Sheet sheet = new Sheet("Two", List.of(Column.text("a", 5), Column.text("b", 5)), 1,
                sink -> sink.row("x,y", "x\ty"));

        assertEquals("a,b\r\n\"x,y\",x\ty\r\n", written(sheet, CsvWriter.Format.CSV));
        assertEquals("a\tb\r\nx,y\t\"x\ty\"\r\n", written(sheet, CsvWriter.Format.TSV));
    }

    @Test
    void shouldNameItsFormats() {
        assertEquals(List.of("csv text/csv; charset=utf-8", "tsv text/tab-separated-values; charset=utf-8"),
                Arrays.stream(CsvWriter.Format.values()).map(f -> f.extension() + " " + f.contentType()).toList());
    }
}
