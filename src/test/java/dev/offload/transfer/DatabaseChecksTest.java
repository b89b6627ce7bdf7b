package dev.offload.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.ServicesResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What makes a table one whose dry runs must run their upsert to find what the database refuses. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class DatabaseChecksTest {

    @Test
    void shouldSeeEveryWayTheDatabaseCouldRefuseARow() throws Exception {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("plain", "(id int PRIMARY KEY, name text NOT NULL, price numeric(8,2) DEFAULT 0)");
        tables.put("checked", "(id int PRIMARY KEY, price numeric CHECK (price >= 0))");
        tables.put("referring", "(id int PRIMARY KEY, other int REFERENCES dc_plain (id))");
        tables.put("unique", "(id int PRIMARY KEY, email text UNIQUE)");
        tables.put("domain", "(id int PRIMARY KEY, n dc_positive)");
        tables.put("generated", "(id int PRIMARY KEY, n int, twice int GENERATED ALWAYS AS (n * 2) STORED)");
        tables.put("triggered", "(id int PRIMARY KEY)");
        try (Connection c = ServicesResource.connection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS dc CASCADE");
            s.execute("CREATE SCHEMA dc");
            s.execute("SET search_path = dc, public");
            s.execute("CREATE DOMAIN dc_positive AS int CHECK (VALUE > 0)");
            for (var table : tables.entrySet()) {
                s.execute("CREATE TABLE dc_" + table.getKey() + " " + table.getValue());
            }
            s.execute("CREATE FUNCTION dc_refuse() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'");
            s.execute("CREATE TRIGGER dc_refusing BEFORE INSERT ON dc_triggered FOR EACH ROW EXECUTE FUNCTION dc_refuse()");
            Map<String, Boolean> found = new LinkedHashMap<>();
            for (String table : tables.keySet()) {
                found.put(table, DatabaseChecks.mayRefuse(c, "dc.dc_" + table));
            }
            assertEquals(Map.of("plain", false, "checked", true, "referring", true, "unique", true, "domain", true,
                    "generated", true, "triggered", true), found);
            s.execute("ALTER TABLE dc_plain ADD CONSTRAINT dc_named CHECK (price < 1000)");
            assertEquals(true, DatabaseChecks.mayRefuse(c, "dc.dc_plain"), "a constraint added later counts");
            s.execute("DROP SCHEMA dc CASCADE");
        }
    }
}
