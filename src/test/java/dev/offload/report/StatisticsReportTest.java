package dev.offload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.UUID;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** The statistics report: a sheet per endpoint, a row per fetch, a column per key. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class StatisticsReportTest {

    @Test
    void shouldWriteASheetPerEndpointWithKeysByFetchTime() throws Exception {
        String endpoint = "https://stats.example/" + UUID.randomUUID();
        try (var c = ServicesResource.connection(); var s = c.createStatement()) {
            s.execute("INSERT INTO statistic_fetch VALUES ('" + endpoint + "', '2025-01-01T00:00:00Z', 2, 0),"
                    + " ('" + endpoint + "', '2025-01-02T00:00:00Z', 1, 0)");
            s.execute("INSERT INTO statistic VALUES ('" + endpoint + "', 'a.count', 3, '2025-01-01T00:00:00Z'),"
                    + " ('" + endpoint + "', 'b.total', 1.5, '2025-01-01T00:00:00Z'),"
                    + " ('" + endpoint + "', 'b.total', 2.25, '2025-01-02T00:00:00Z')");
        }
        String admin = Tokens.admin(Tokens.newUser());
        String id = ReportApi.report(admin, "statistics", Map.of("endpoint", endpoint, "from", "2024-12-31T00:00:00Z",
                "to", "2025-02-01T00:00:00Z"));
        ReportApi.awaitState(admin, id, "success");
        byte[] xlsx = ReportApi.download(admin, id).asByteArray();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertEquals(1, book.getNumberOfSheets());
            var sheet = book.getSheetAt(0);
            Row header = sheet.getRow(0);
            assertEquals("fetched at (UTC)", header.getCell(0).getStringCellValue());
            assertEquals("a.count", header.getCell(1).getStringCellValue());
            assertEquals("b.total", header.getCell(2).getStringCellValue());
            assertEquals(3.0, sheet.getRow(1).getCell(1).getNumericCellValue());
            assertEquals(1.5, sheet.getRow(1).getCell(2).getNumericCellValue());
            assertEquals(null, sheet.getRow(2).getCell(1));
            assertEquals(2.25, sheet.getRow(2).getCell(2).getNumericCellValue());
            assertEquals(2, sheet.getLastRowNum());
        }
    }
}
