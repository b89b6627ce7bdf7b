package dev.offload.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.OwnServices;
import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several replicas of a new deployment start together on an empty database, each migrating at start (as the
 * manifests run them, without a migration Job): Flyway's PostgreSQL advisory lock makes one migrate while the
 * others wait, so every process becomes ready and every migration is applied once.
 */
class ConcurrentMigrationIT {

    @RegisterExtension
    static final OwnServices SERVICES = new OwnServices("migrate");

    @Test
    void shouldMigrateOnceWhenSeveralProcessesStartTogetherOnAnEmptyDatabase() throws Exception {
        List<String> roles = List.of("api", "worker", "worker");
        ExecutorService starting = Executors.newFixedThreadPool(roles.size());
        List<Future<ServiceProcess>> processes = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            String role = roles.get(i);
            String name = "migrate-" + role + "-" + i;
            processes.add(starting.submit(() -> ServiceProcess.start(name, SERVICES.config(role),
                    java.time.Duration.ofSeconds(240))));
        }
        List<ServiceProcess> ready = new ArrayList<>();
        try {
            for (Future<ServiceProcess> process : processes) {
                ready.add(process.get()); // each waited for its own readiness, or failed the test
            }
            try (Connection c = TestServices.connect(SERVICES.database()); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT version, count(*), bool_and(success) FROM flyway_schema_history"
                            + " WHERE version IS NOT NULL GROUP BY version")) {
                int versions = 0;
                while (rows.next()) {
                    versions++;
                    assertEquals(1, rows.getInt(2), "version " + rows.getString(1) + " applied once");
                    assertTrue(rows.getBoolean(3), "version " + rows.getString(1) + " succeeded");
                }
                assertTrue(versions >= 9, "every migration applied: " + versions);
            }
        } finally {
            for (Future<ServiceProcess> process : processes) {
                try {
                    process.get().close();
                } catch (Exception e) {
                    // it failed to start: the assertion above says so
                }
            }
            starting.shutdownNow();
        }
        assertEquals(roles.size(), ready.size(), "every process became ready");
    }
}
