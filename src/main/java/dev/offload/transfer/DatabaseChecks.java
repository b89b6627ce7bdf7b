package dev.offload.transfer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether the database could refuse a row that passed the input rules. The rules already check types, NOT NULL,
 * lengths, precision and scale, and the duplicates of the key inside the file; beyond them only the table's own
 * checks can refuse a row: check, foreign key and exclusion constraints, a unique index other than the key's,
 * triggers and rules, domains (their checks), generated columns, partitions, row-level security, or a missing
 * privilege. A dry run on a table with none of these need not run its upsert to find what would be refused:
 * nothing would be. (Asked at every run: a constraint added since the start counts.)
 */
final class DatabaseChecks {

    private static final String SQL = "SELECT"
            + " EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = c.oid AND contype IN ('c', 'f', 'x', 't'))"
            + " OR (SELECT count(*) FROM pg_index WHERE indrelid = c.oid AND indisunique) > 1"
            + " OR EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = c.oid AND NOT tgisinternal)"
            + " OR EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = c.oid"
            + " AND a.attnum > 0 AND NOT a.attisdropped AND (t.typtype = 'd' OR a.attgenerated <> ''))"
            + " OR c.relkind <> 'r' OR c.relrowsecurity OR c.relhasrules"
            + " OR NOT has_table_privilege(c.oid, 'INSERT') OR NOT has_table_privilege(c.oid, 'UPDATE')"
            + " FROM pg_class c WHERE c.oid = ?::regclass";

    private DatabaseChecks() {
    }

    /** True unless the catalog shows that {@code table} (quoted for SQL) has nothing that could refuse a row. */
    static boolean mayRefuse(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SQL)) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                return !r.next() || r.getBoolean(1);
            }
        }
    }
}
