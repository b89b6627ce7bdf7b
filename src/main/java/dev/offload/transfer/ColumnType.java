package dev.offload.transfer;

import java.util.Locale;

/** What a column holds, as parsing and validation see it; from the catalog's type name. */
public enum ColumnType {
    SMALLINT, INTEGER, BIGINT, NUMERIC, REAL, DOUBLE, TEXT, BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ, UUID, JSON,
    /** A type an import cannot write (exports show its text). */
    OTHER;

    /** The type of a column whose {@code pg_type.typname} is {@code name}. */
    static ColumnType of(String name) {
        return switch (name) {
            case "int2" -> SMALLINT;
            case "int4" -> INTEGER;
            case "int8" -> BIGINT;
            case "numeric" -> NUMERIC;
            case "float4" -> REAL;
            case "float8" -> DOUBLE;
            case "text", "varchar", "bpchar", "citext", "name" -> TEXT;
            case "bool" -> BOOLEAN;
            case "date" -> DATE;
            case "timestamp" -> TIMESTAMP;
            case "timestamptz" -> TIMESTAMPTZ;
            case "uuid" -> UUID;
            case "json", "jsonb" -> JSON;
            default -> OTHER;
        };
    }

    boolean isNumber() {
        return this == SMALLINT || this == INTEGER || this == BIGINT || this == NUMERIC || this == REAL || this == DOUBLE;
    }

    /** The name in the API: lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
