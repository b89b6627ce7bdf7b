package dev.offload.transfer;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One checked row of an import as its resource's {@link RowHooks.ImportHook} sees it: the converted values of the
 * columns the file gives, which the hook may change (checked again by the column's rules), skip or refuse. One
 * instance serves every row of a pass.
 */
final class HookedImportRow implements RowHooks.ImportedRow {

    private final List<ResourceColumn> columns;
    private final ColumnIndex index;
    private final Optional<ZoneId> zone;
    private final boolean[] changed;
    private long number;
    private String[] values;
    private boolean skipped;
    private List<Map<String, String>> refusals;

    /** For the first {@code given} of {@code columns}: those the file gives, in the order of the converted values. */
    HookedImportRow(List<ResourceColumn> columns, int given, Optional<ZoneId> zone) {
        this.columns = columns.subList(0, given);
        this.index = new ColumnIndex(this.columns, "the file", "gives");
        this.zone = zone;
        this.changed = new boolean[given];
    }

    /**
     * Runs {@code hook} on row {@code number} with {@code converted} values (changed in place): null when the row
     * goes on to be written, else its errors; an empty list when the hook skipped it.
     */
    List<Map<String, String>> run(RowHooks.ImportHook hook, long number, String[] converted) {
        this.number = number;
        this.values = converted;
        skipped = false;
        refusals = null;
        java.util.Arrays.fill(changed, false);
        hook.row(this);
        if (refusals != null) {
            return refusals;
        }
        if (skipped) {
            return List.of();
        }
        List<Map<String, String>> errors = null;
        for (int i = 0; i < changed.length; i++) {
            if (changed[i]) {
                ResourceColumn column = columns.get(i);
                try {
                    converted[i] = Values.convert(column, converted[i], zone);
                } catch (Values.Refused r) {
                    if (errors == null) {
                        errors = new ArrayList<>();
                    }
                    errors.add(RowErrors.error(column.header(), converted[i], "as set by the row hook: " + r.getMessage()));
                }
            }
        }
        return errors;
    }

    @Override
    public long number() {
        return number;
    }

    @Override
    public boolean has(String column) {
        return index.has(column);
    }

    @Override
    public String get(String column) {
        return values[index.at(column)];
    }

    @Override
    public void set(String column, String value) {
        int i = index.at(column);
        values[i] = value;
        changed[i] = true;
    }

    @Override
    public void skip() {
        skipped = true;
    }

    @Override
    public void refuse(String column, String message) {
        if (refusals == null) {
            refusals = new ArrayList<>();
        }
        Integer i = index.find(column);
        String header = column == null ? null : i == null ? column : columns.get(i).header();
        refusals.add(RowErrors.error(header, i == null ? null : values[i], message));
    }

}
