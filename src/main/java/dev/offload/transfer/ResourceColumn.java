package dev.offload.transfer;

/**
 * A column of a resource, as the catalog describes it.
 *
 * @param name      the column's name
 * @param header    its header in files (the name unless configured)
 * @param sqlType   the type as PostgreSQL writes it ({@code numeric(8,2)}, {@code character varying(200)})
 * @param type      what parsing sees of it
 * @param notNull   NOT NULL
 * @param hasDefault a default, an identity or a generated value
 * @param maxLength longest text in characters, or 0 for none
 * @param precision digits of a numeric, or 0 for none
 * @param scale     digits after the point of a numeric
 * @param key       part of the key that finds an existing row
 * @param readOnly  exported but never written by an import
 * @param identityAlways an identity column {@code GENERATED ALWAYS} (written with {@code OVERRIDING SYSTEM VALUE})
 */
public record ResourceColumn(String name, String header, String sqlType, ColumnType type, boolean notNull,
        boolean hasDefault, int maxLength, int precision, int scale, boolean key, boolean readOnly,
        boolean identityAlways) {

    /** The column quoted as an SQL identifier. */
    public String sql() {
        return quote(name);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
