package dev.offload.transfer;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Import and export: the resources ({@code offload.resources.<name>.*}) and the limits of the transfer jobs
 * ({@code offload.transfer.*}).
 */
@ConfigMapping(prefix = "offload")
public interface TransferConfig {

    /** The tables that may be imported and exported, by resource name. */
    Map<String, ResourceSettings> resources();

    Transfer transfer();

    /** One resource: a table and how its rows are read and written. */
    interface ResourceSettings {

        /** The table, {@code name} or {@code schema.name}; checked against the catalog at start. */
        String table();

        /** The columns that find an existing row (the import id fields); they need a unique index. Default: the primary key. */
        Optional<List<String>> key();

        /** The columns offered, in this order (default: every column of the table). */
        Optional<List<String>> columns();

        /** Header names by column, where the header is not the column's name. */
        Map<String, String> headers();

        /** Columns exported but never written by an import. */
        Optional<List<String>> readOnly();

        /** The zone of timestamps given without an offset (default: none, such a timestamp is an input error). */
        Optional<String> timeZone();

        /** Exported only: no import may write it. */
        @WithDefault("false")
        boolean exportOnly();

        /** Only admins may import or export it. */
        @WithDefault("false")
        boolean adminOnly();

        /** Another database (a JDBC URL) holding the table; default: the service's own. */
        Optional<String> jdbcUrl();

        /** The user for {@link #jdbcUrl()}. */
        Optional<String> jdbcUser();

        /** The password for {@link #jdbcUrl()}. */
        Optional<String> jdbcPassword();
    }

    interface Transfer {

        /** Rows an import may have; a file with more ends in {@code input_error}. */
        @WithDefault("5000000")
        long maxRows();

        /** Failed rows kept per import (the counts count them all). */
        @WithDefault("1000")
        int maxStoredErrors();

        /** Deepest nesting of a JSON file. */
        @WithDefault("16")
        int maxJsonDepth();

        /** Largest inflated size of an xlsx part. */
        @WithDefault("2G")
        MemorySize maxXlsxInflated();

        /** Largest inflated/compressed ratio of an xlsx part. */
        @WithDefault("200")
        double maxXlsxRatio();

        /** Longest text of one cell or field, in characters. */
        @WithDefault("1048576")
        int maxCellLength();

        /** Rows fetched per round trip by exports. */
        @WithDefault("2000")
        int fetchSize();

        /** Creates the demo table {@code books} at start (dev and test profiles). */
        @WithDefault("false")
        boolean demo();
    }
}
