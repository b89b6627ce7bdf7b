package dev.offload.transfer;

import dev.offload.config.OffloadConfig;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The resources of {@code offload.resources.*}, each checked against the catalog at start: an unknown table or
 * column, a key without a unique index or a column type an import cannot write stops the start, naming it; so do
 * two {@link RowHooks} for one resource and hooks for a resource that is not configured.
 */
@ApplicationScoped
public class Resources {

    private static final Logger LOG = Logger.getLogger(Resources.class);

    /** The demo table of the dev profile and the tests (the README's tour imports into it). */
    static final String DEMO_TABLE = """
            CREATE TABLE IF NOT EXISTS books (
                id         integer PRIMARY KEY,
                title      varchar(200) NOT NULL,
                author     varchar(100) NOT NULL,
                published  date,
                price      numeric(8,2) CHECK (price >= 0),
                in_stock   boolean NOT NULL DEFAULT true,
                updated_at timestamptz
            )""";

    private final TransferConfig config;
    private final OffloadConfig offload;
    private final Database own;
    private final Instance<RowHooks> hooks;
    private volatile Map<String, TransferResource> resources = Map.of();

    public Resources(TransferConfig config, OffloadConfig offload,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password, Instance<RowHooks> hooks) {
        this.config = config;
        this.hooks = hooks;
        this.offload = offload;
        this.own = new Database(url, user.orElse(null), password.orElse(null), true);
    }

    void start(@Observes StartupEvent event) throws SQLException {
        if (offload.role().isService()) {
            load();
        }
    }

    /** Reads every resource from the catalog; throws naming the first that is wrong. */
    synchronized void load() throws SQLException {
        if (config.transfer().demo()) {
            try (Connection c = own.connect(); Statement s = c.createStatement()) {
                s.execute(DEMO_TABLE);
            }
        }
        Map<String, RowHooks> hooked = byResource(hooks.stream().toList(), config.resources().keySet());
        Map<String, TransferResource> loaded = new TreeMap<>();
        for (var entry : config.resources().entrySet()) {
            loaded.put(entry.getKey(), describe(entry.getKey(), entry.getValue(),
                    Optional.ofNullable(hooked.get(entry.getKey()))));
        }
        resources = loaded;
        LOG.infof("transfer resources: %s", String.join(", ", loaded.keySet()));
    }

    /** The row hooks by resource: one per resource, each for a configured one, or the start stops naming it. */
    static Map<String, RowHooks> byResource(List<RowHooks> all, Set<String> configured) {
        Map<String, RowHooks> byResource = new TreeMap<>();
        for (RowHooks h : all) {
            String name = h.resource();
            if (!configured.contains(name)) {
                throw new IllegalStateException(className(h) + ": row hooks for the resource " + name
                        + ", which is not configured (offload.resources." + name + ".table)");
            }
            RowHooks earlier = byResource.putIfAbsent(name, h);
            if (earlier != null) {
                throw new IllegalStateException("two row hooks for the resource " + name + ": " + className(earlier)
                        + " and " + className(h));
            }
        }
        return byResource;
    }

    private static String className(RowHooks h) {
        return ClientProxy.unwrap(h).getClass().getName();
    }

    /** The service's own database. */
    public Database own() {
        return own;
    }

    public Optional<TransferResource> find(String name) {
        return Optional.ofNullable(name == null ? null : resources.get(name));
    }

    public Collection<TransferResource> all() {
        return resources.values();
    }

    private TransferResource describe(String name, TransferConfig.ResourceSettings settings, Optional<RowHooks> rowHooks)
            throws SQLException {
        Database db = settings.jdbcUrl().map(url -> new Database(url, settings.jdbcUser().orElse(null),
                settings.jdbcPassword().orElse(null), false)).orElse(own);
        String where = "offload.resources." + name;
        Optional<ZoneId> zone;
        try {
            zone = settings.timeZone().map(ZoneId::of);
        } catch (DateTimeException e) {
            throw new IllegalStateException(where + ".time-zone: unknown zone " + settings.timeZone().get());
        }
        try (Connection c = db.connect()) {
            Long oid = null;
            String table = null;
            String relkind = null;
            try (PreparedStatement s = c.prepareStatement("SELECT c.oid::bigint, quote_ident(n.nspname) || '.' ||"
                    + " quote_ident(c.relname), c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.oid = to_regclass(?) AND c.relkind IN ('r', 'p', 'v')")) {
                s.setString(1, settings.table());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        oid = r.getLong(1);
                        table = r.getString(2);
                        relkind = r.getString(3);
                    }
                }
            }
            if (oid == null) {
                throw new IllegalStateException(where + ".table: no table " + settings.table() + " in " + db);
            }
            if ("v".equals(relkind) && !settings.exportOnly()) {
                throw new IllegalStateException(where + ".table: " + table + " is a view; make the resource export-only");
            }
            Map<String, Catalog> catalog = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                    + " coalesce(bt.typname, t.typname), a.attnotnull OR coalesce(t.typnotnull, false),"
                    + " a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '', a.atttypmod, a.attgenerated <> '',"
                    + " a.attidentity = 'a'"
                    + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type bt ON bt.oid = t.typbasetype"
                    + " AND t.typtype = 'd' WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
                s.setLong(1, oid);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        catalog.put(r.getString(1), new Catalog(r.getString(1), r.getString(2), r.getString(3),
                                r.getBoolean(4), r.getBoolean(5), r.getInt(6), r.getBoolean(7), r.getBoolean(8)));
                    }
                }
            }
            List<List<String>> unique = new ArrayList<>();
            List<String> primary = List.of();
            try (PreparedStatement s = c.prepareStatement("SELECT i.indisprimary, array(SELECT a.attname FROM"
                    + " unnest(i.indkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid"
                    + " AND a.attnum = k.attnum ORDER BY k.n) FROM pg_index i WHERE i.indrelid = ? AND i.indisunique"
                    + " AND i.indpred IS NULL AND i.indexprs IS NULL")) {
                s.setLong(1, oid);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        List<String> columns = List.of((String[]) r.getArray(2).getArray());
                        unique.add(columns);
                        if (r.getBoolean(1)) {
                            primary = columns;
                        }
                    }
                }
            }
            List<String> offered = settings.columns().orElse(List.copyOf(catalog.keySet()));
            for (String column : offered) {
                if (!catalog.containsKey(column)) {
                    throw new IllegalStateException(where + ".columns: no column " + column + " in " + table);
                }
            }
            List<String> key = settings.key().orElse(primary);
            if (key.isEmpty() && !settings.exportOnly()) {
                throw new IllegalStateException(where + ".key: " + table + " has no primary key; name the key columns");
            }
            for (String column : key) {
                if (!offered.contains(column)) {
                    throw new IllegalStateException(where + ".key: " + column + " is not a column of the resource");
                }
            }
            if (!settings.exportOnly() && unique.stream().noneMatch(u -> new HashSet<>(u).equals(new HashSet<>(key)))) {
                throw new IllegalStateException(where + ".key: no unique index of " + table + " on exactly "
                        + String.join(", ", key));
            }
            Set<String> readOnly = new HashSet<>(settings.readOnly().orElse(List.of()));
            for (String column : readOnly) {
                if (!offered.contains(column)) {
                    throw new IllegalStateException(where + ".read-only: " + column + " is not a column of the resource");
                }
            }
            for (String column : settings.headers().keySet()) {
                if (!offered.contains(column)) {
                    throw new IllegalStateException(where + ".headers: " + column + " is not a column of the resource");
                }
            }
            List<ResourceColumn> columns = new ArrayList<>();
            Set<String> headers = new HashSet<>();
            for (String column : offered) {
                Catalog a = catalog.get(column);
                ColumnType type = ColumnType.of(a.typeName);
                boolean ro = readOnly.contains(column) || a.generated;
                if (type == ColumnType.OTHER && !settings.exportOnly() && !ro) {
                    throw new IllegalStateException(where + ": column " + column + " is of type " + a.sqlType
                            + ", which an import cannot write; make it read-only or leave it out");
                }
                String header = settings.headers().getOrDefault(column, column);
                if (!headers.add(header.strip().toLowerCase(java.util.Locale.ROOT))) {
                    throw new IllegalStateException(where + ".headers: two columns have the header " + header);
                }
                int length = 0;
                int precision = 0;
                int scale = 0;
                if (a.typmod > 0 && (a.typeName.equals("varchar") || a.typeName.equals("bpchar"))) {
                    length = a.typmod - 4;
                } else if (a.typmod > 0 && a.typeName.equals("numeric")) {
                    precision = ((a.typmod - 4) >> 16) & 0xffff;
                    scale = (a.typmod - 4) & 0xffff;
                }
                columns.add(new ResourceColumn(column, header, a.sqlType, type, a.notNull, a.hasDefault, length,
                        precision, scale, key.contains(column), ro, a.identityAlways));
            }
            return new TransferResource(name, table, columns, key, zone, settings.exportOnly(), settings.adminOnly(), db,
                    rowHooks);
        }
    }

    private record Catalog(String name, String sqlType, String typeName, boolean notNull, boolean hasDefault,
            int typmod, boolean generated, boolean identityAlways) {
    }
}
