package dev.offload.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a row hook's changes become, and how hooks are matched to resources at start. */
class HookedImportRowTest {

    private static final ResourceColumn ID = new ResourceColumn("id", "id", "integer", ColumnType.INTEGER, true, false,
            0, 0, 0, true, false, false);
    private static final ResourceColumn PUBLISHED = new ResourceColumn("published", "Published on", "date",
            ColumnType.DATE, false, false, 0, 0, 0, false, false, false);

    private final HookedImportRow row = new HookedImportRow(List.of(ID, PUBLISHED), 2, Optional.empty());

    @Test
    void shouldCheckWhatTheHookSetByTheColumnsRules() {
        String[] values = {"7", "2024-02-01"};
        assertNull(row.run(new RowHooks.ImportHook() {
            @Override
            public void row(RowHooks.ImportedRow r) {
                r.set("published", " 2024-02-29 ");
            }
        }, 1, values));
        assertEquals("2024-02-29", values[1], "converted as a value of the file would be");

        List<Map<String, String>> errors = row.run(new RowHooks.ImportHook() {
            @Override
            public void row(RowHooks.ImportedRow r) {
                r.set("published", "2023-02-29");
            }
        }, 2, new String[] {"8", "2023-02-01"});
        assertEquals(1, errors.size());
        assertEquals("Published on", errors.get(0).get("column"));
        assertEquals("2023-02-29", errors.get(0).get("value"));
        assertTrue(errors.get(0).get("message").startsWith("as set by the row hook: "), errors.toString());
    }

    @Test
    void shouldRefuseSkipAndNameColumnsTheFileDoesNotGive() {
        List<Map<String, String>> refused = row.run(new RowHooks.ImportHook() {
            @Override
            public void row(RowHooks.ImportedRow r) {
                r.refuse("published", "too early");
            }
        }, 3, new String[] {"9", "1900-01-01"});
        assertEquals(List.of(RowErrors.error("Published on", "1900-01-01", "too early")), refused);
        assertEquals(List.of(), row.run(new RowHooks.ImportHook() {
            @Override
            public void row(RowHooks.ImportedRow r) {
                r.skip();
            }
        }, 4, new String[] {"10", null}), "skipped");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> row.get("price"));
        assertEquals("the file gives no column price (it gives id, published)", e.getMessage());
    }

    @Test
    void shouldStopTheStartForTwoHooksOfOneResourceOrHooksOfAnUnknownOne() {
        RowHooks books = () -> "books";
        RowHooks again = () -> "books";
        assertEquals(Map.of("books", books), Resources.byResource(List.of(books), Set.of("books", "jobs")));
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> Resources.byResource(List.of(books, again), Set.of("books")));
        assertTrue(twice.getMessage().startsWith("two row hooks for the resource books: "), twice.getMessage());
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> Resources.byResource(List.of(books), Set.of("jobs")));
        assertTrue(unknown.getMessage().endsWith("row hooks for the resource books, which is not configured"
                + " (offload.resources.books.table)"), unknown.getMessage());
    }
}
