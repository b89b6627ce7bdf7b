package dev.offload.transfer;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A table that may be imported and exported: its columns as the catalog has them, the key that finds an
 * existing row, and where it lives.
 *
 * @param table  the table quoted for SQL ({@code "public"."books"})
 * @param zone   the zone of timestamps given without an offset, if the resource declares one
 * @param source the database holding it
 * @param hooks  its row hooks, if a {@link RowHooks} bean names it
 */
public record TransferResource(String name, String table, List<ResourceColumn> columns, List<String> key,
        Optional<ZoneId> zone, boolean exportOnly, boolean adminOnly, Database source, Optional<RowHooks> hooks) {

    public TransferResource {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
    }

    /** The column with this name, if the resource offers it. */
    public Optional<ResourceColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The column whose header matches {@code header}: case-insensitive, surrounding spaces trimmed. */
    public Optional<ResourceColumn> byHeader(String header) {
        String wanted = header.strip().toLowerCase(Locale.ROOT);
        return columns.stream().filter(c -> c.header().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    public List<ResourceColumn> keyColumns() {
        return columns.stream().filter(ResourceColumn::key).toList();
    }
}
