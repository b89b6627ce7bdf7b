package dev.offload.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar in command mode, as the CronJob runs it: the prod profile, configured by
 * environment variables alone, exiting with the status the CronJob's Job records.
 */
class GatherStatsIT {

    private static final Path JAR = ServiceProcess.JAR;
    private static String database;
    private JsonEndpoints endpoints;

    @BeforeAll
    static void database() {
        database = TestServices.uniqueName("offload_stats_it");
        TestServices.createDatabase(database);
    }

    @AfterAll
    static void dropDatabase() {
        TestServices.dropDatabase(database);
    }

    @BeforeEach
    void serve() throws Exception {
        endpoints = new JsonEndpoints();
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    record Exit(int status, List<String> lines) {
    }

    private static Exit gatherStats(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString(), "gather-stats"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("gather-stats", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of(
                "QUARKUS_PROFILE", "prod",
                "OFFLOAD_JWT_PUBLIC_KEY_LOCATION", "dev/publicKey.pem",
                "OFFLOAD_DB_HOST", TestServices.DB_HOST,
                "OFFLOAD_DB_PORT", TestServices.DB_PORT,
                "OFFLOAD_DB_NAME", database,
                "OFFLOAD_DB_USER", TestServices.DB_USER,
                "OFFLOAD_DB_PASSWORD", TestServices.DB_PASSWORD));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "gather-stats did not exit within 120 s");
            List<String> lines = Files.readAllLines(output).stream()
                    .filter(l -> l.startsWith("OK ") || l.startsWith("FAILED ")).toList();
            return new Exit(process.exitValue(), lines);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private static Map<String, String> rows(String endpoint) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = TestServices.connect(database);
                PreparedStatement s = c.prepareStatement("SELECT key, numeric_value FROM statistic WHERE endpoint = ?")) {
            s.setString(1, endpoint);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getBigDecimal(2).toPlainString());
                }
            }
        }
        return rows;
    }

    @Test
    void shouldGatherWhatTheEnvironmentConfiguresAndExitNonZeroWhenAnEndpointFailed() throws Exception {
        String good = endpoints.json("{\"by_institution\": {\"INSTA\": {\"total\": 7}}, \"up\": true, \"name\": \"x\"}");
        String broken = endpoints.serve(503, JsonEndpoints.HTML, "<html>maintenance</html>");

        Exit exit = gatherStats(Map.of(
                "OFFLOAD_STATS_ENDPOINTS", good + "," + broken,
                "OFFLOAD_STATS_HEADERS", "Authorization: Bearer cron-token,X-Requested-By: gather-stats",
                "OFFLOAD_STATS_TIMEOUT", "5s"));

        assertEquals(1, exit.status(), exit.toString());
        assertEquals(2, exit.lines().size(), exit.toString());
        assertTrue(exit.lines().get(0).startsWith("OK     " + good + ": 2 rows stored at "), exit.toString());
        assertTrue(exit.lines().get(0).contains("; not stored: 1 string"), exit.toString());
        assertTrue(exit.lines().get(1).startsWith("FAILED " + broken + ": HTTP 503 Service Unavailable (an HTML page);"
                + " nothing written"), exit.toString());
        assertEquals(Map.of("by_institution.INSTA.total", "7", "up", "1"), rows(good));
        assertEquals(Map.of(), rows(broken));
        assertEquals("Bearer cron-token", endpoints.authorization(good));
    }

    @Test
    void shouldExitZeroWhenEveryEndpointWasStoredAndOptionsReplaceTheEnvironment() throws Exception {
        String configured = endpoints.json("{\"a\": 1}");
        String given = endpoints.json("{\"b\": 2}");

        Exit exit = gatherStats(Map.of("OFFLOAD_STATS_ENDPOINTS", configured), "--endpoint", given,
                "--at", "2025-06-01T00:00:00Z");

        assertEquals(0, exit.status(), exit.toString());
        assertEquals(List.of("OK     " + given + ": 1 row stored at 2025-06-01T00:00:00Z"),
                exit.lines().stream().map(l -> l.replaceAll(" \\(\\d+\\.\\d\\d s\\)$", "")).toList());
        assertEquals(0, endpoints.hits(configured));
        assertEquals(Map.of("b", "2"), rows(given));
    }
}
