package dev.offload.transfer;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The example of {@link RowHooks}: the test resource {@code shelf} (the books table) as a bookshop's code would
 * have it. On import: titles lose surrounding spaces, rows whose title starts with {@code #} are comments and
 * skipped, and a file may not list one title by one author twice. On export: authors in capitals, and drafts
 * (a title starting with {@code draft:}) left out.
 */
@ApplicationScoped
public class ShelfHooks implements RowHooks {

    @Override
    public String resource() {
        return "shelf";
    }

    @Override
    public ImportHook startImport() {
        return new ImportHook() {
            private final Map<List<String>, Long> seen = new HashMap<>();

            @Override
            public void row(ImportedRow row) {
                String title = row.get("title").strip();
                if (title.startsWith("#")) {
                    row.skip();
                    return;
                }
                row.set("title", title);
                Long earlier = seen.putIfAbsent(List.of(title.toLowerCase(Locale.ROOT),
                        row.get("author").strip().toLowerCase(Locale.ROOT)), row.number());
                if (earlier != null) {
                    row.refuse("title", "the file lists this title by this author already, in row " + earlier);
                }
            }
        };
    }

    @Override
    public ExportHook startExport() {
        return row -> {
            if (row.has("title") && row.get("title") instanceof String title && title.startsWith("draft:")) {
                row.skip();
            } else if (row.has("author") && row.get("author") instanceof String author) {
                row.set("author", author.toUpperCase(Locale.ROOT));
            }
        };
    }
}
