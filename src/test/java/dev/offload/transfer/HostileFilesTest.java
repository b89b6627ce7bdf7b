package dev.offload.transfer;

import static dev.offload.transfer.Transfers.awaitExport;
import static dev.offload.transfer.Transfers.awaitImport;
import static dev.offload.transfer.Transfers.errors;
import static dev.offload.transfer.Transfers.importBooks;
import static dev.offload.transfer.Transfers.importOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Files built to hurt: truncated, bombs, entities, deep or ill-typed JSON. Each ends in a state, never a 500. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class HostileFilesTest {

    private final String token = Tokens.user(Tokens.newUser());

    private byte[] template() {
        return Transfers.get(token, "/api/v1/resources/books/template?format=xlsx").statusCode(200).extract().asByteArray();
    }

    /** The workbook with its first sheet's XML replaced. */
    private static byte[] withSheet(byte[] xlsx, byte[] sheet) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(xlsx)); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(e.getName().equals("xl/worksheets/sheet1.xml") ? sheet : in.readAllBytes());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private String parseState(String name, byte[] file) {
        String id = importBooks(token, name, file, Map.of());
        org.awaitility.Awaitility.await().atMost(Transfers.WAIT).until(() -> {
            String s = importOf(token, id).statusCode(200).extract().path("state");
            return s.equals("parse_error") || s.equals("input_error") || s.equals("parsed");
        });
        return id;
    }

    @Test
    void shouldEndInParseErrorForATruncatedWorkbook() {
        byte[] xlsx = template();
        String id = parseState("b.xlsx", Arrays.copyOf(xlsx, xlsx.length / 2));
        importOf(token, id).body("state", org.hamcrest.Matchers.equalTo("parse_error"));
        assertThat(importOf(token, id).extract().path("error.message"), containsString("not an xlsx workbook"));
    }

    @Test
    void shouldEndInParseErrorForAZipBomb() throws Exception {
        byte[] bomb = new byte[64 * 1024 * 1024];
        Arrays.fill(bomb, (byte) ' ');
        String id = parseState("bomb.xlsx", withSheet(template(), bomb));
        importOf(token, id).body("state", org.hamcrest.Matchers.equalTo("parse_error"));
        assertThat(importOf(token, id).extract().path("error.message"), containsString("Zip bomb"));
    }

    @Test
    void shouldNeverResolveAnExternalEntity() throws Exception {
        String sheet = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>"
                + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>&e;</t></is></c></row>"
                + "</sheetData></worksheet>";
        String id = parseState("xxe.xlsx", withSheet(template(), sheet.getBytes(StandardCharsets.UTF_8)));
        importOf(token, id).body("state", org.hamcrest.Matchers.equalTo("parse_error"));
        String hostname = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).strip();
        assertThat(importOf(token, id).extract().asString(), not(containsString(hostname)));
    }

    @Test
    void shouldHoldJsonToStrictTypesAndRefuseDuplicateKeys() {
        int base = Transfers.idBase();
        String json = "[{\"id\": " + (base + 1) + ", \"title\": 5, \"author\": \"a\"},"
                + " {\"id\": \"" + (base + 2) + "\", \"title\": \"t\", \"author\": \"a\", \"author\": \"b\"},"
                + " {\"id\": " + (base + 3) + ", \"title\": \"t\", \"author\": \"a\", \"updated_at\": 1700000000},"
                + " {\"id\": " + (base + 4) + ", \"title\": \"t\", \"author\": \"a\", \"in_stock\": \"yes\", \"price\": \"1.50\"}]";
        String id = importBooks(token, "b.json", json, Map.of());
        awaitImport(token, id, "input_error");
        importOf(token, id).body("counts.error", org.hamcrest.Matchers.equalTo(3))
                .body("counts.new", org.hamcrest.Matchers.equalTo(1));
        var errors = errors(token, id);
        ImportTest.assertError(errors, 1, "title", "5", "must be a string");
        ImportTest.assertError(errors, 2, "author", null, "is given twice in the object");
        ImportTest.assertError(errors, 3, "updated_at", "1700000000",
                "must be a timestamp as text (ISO-8601 with an offset); a number is not a timestamp");
    }

    @Test
    void shouldEndInParseErrorForJsonTooDeepOrAnUnknownKeyInInputError() {
        String deep = "[{\"id\": " + "[".repeat(100) + "]".repeat(100) + "}]";
        String id = parseState("deep.json", deep.getBytes(StandardCharsets.UTF_8));
        importOf(token, id).body("state", org.hamcrest.Matchers.equalTo("parse_error"));
        assertThat(importOf(token, id).extract().path("error.message"), containsString("nesting depth"));
        String unknown = importBooks(token, "u.json", "[{\"id\": 1, \"colour\": \"red\"}]", Map.of());
        awaitImport(token, unknown, "input_error");
        ImportTest.assertError(errors(token, unknown), 0, "colour", null,
                "is not a column of the resource (key \"colour\" at line 1, column 23)");
    }

    @Test
    void shouldMarkFormulaLikeTextAsTextInXlsx() throws Exception {
        int base = Transfers.idBase();
        String seeded = importBooks(token, "s.csv", "id,title,author\n" + (base + 1) + ",=HYPERLINK(\"x\"),@me\n",
                Map.of("skip_parse_step", true));
        awaitImport(token, seeded, "imported");
        String id = Transfers.export(token, Map.of("resource", "books", "format", "xlsx", "columns",
                java.util.List.of("title", "author"), "filter", Map.of("id", base + 1)));
        awaitExport(token, id);
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(Transfers.download(token, id)))) {
            for (int column = 0; column < 2; column++) {
                Cell cell = book.getSheetAt(0).getRow(1).getCell(column);
                assertEquals(CellType.STRING, cell.getCellType());
                assertTrue(cell.getCellStyle().getQuotePrefixed(), "quote-prefixed: " + cell.getStringCellValue());
            }
            assertEquals("=HYPERLINK(\"x\")", book.getSheetAt(0).getRow(1).getCell(0).getStringCellValue());
        }
    }
}
