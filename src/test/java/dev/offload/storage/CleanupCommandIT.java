package dev.offload.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code offload cleanup} as a CronJob runs it: the packaged jar in command mode, its exit status and output. */
class CleanupCommandIT {

    private static final Path JAR = ServiceProcess.JAR;
    private static String database;

    @BeforeAll
    static void database() {
        database = TestServices.uniqueName("offload_cleanup");
        TestServices.createDatabase(database);
    }

    @AfterAll
    static void dropDatabase() {
        TestServices.dropDatabase(database);
    }

    private static Process run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.profile=dev",
                "-Dquarkus.datasource.jdbc.url=" + TestServices.jdbcUrl(database),
                "-Dquarkus.datasource.reactive.url=" + TestServices.reactiveUrl(database),
                "-Dquarkus.datasource.username=" + TestServices.DB_USER,
                "-Dquarkus.datasource.password=" + TestServices.DB_PASSWORD,
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the command ends by itself");
        return process;
    }

    @Test
    void shouldRunFromThePackagedJarAndExitWithZero() throws Exception {
        assertTrue(Files.exists(JAR), JAR + " is built by mvn package");
        Process cleanup = run("cleanup");
        String output = new String(cleanup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cleanup.exitValue(), output);
        assertTrue(output.contains("cleanup: expired files: 0 removed"), output);
        // Command mode logs warnings only (Flyway's and Quarkus's start lines are INFO), and no meter's.
        assertFalse(output.contains(" INFO "), output);
        assertFalse(output.contains("MeterRegistry"), output);
    }

    @Test
    void shouldTakeTheArchivesAgeFromItsOptionForOneRun() throws Exception {
        Process cleanup = run("cleanup", "--archives-older-than", "3600s");
        String output = new String(cleanup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cleanup.exitValue(), output);
        assertTrue(output.contains("cleanup: archives older than 3600s or marked deleted: 0 removed"), output);
        Process byDefault = run("cleanup");
        String defaults = new String(byDefault.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(defaults.contains("cleanup: archives older than 7d or marked deleted: 0 removed"), defaults);
    }

    @Test
    void shouldRefuseArgumentsWithStatusTwo() throws Exception {
        Process cleanup = run("cleanup", "--everything");
        String output = new String(cleanup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, cleanup.exitValue(), output);
        assertTrue(output.startsWith("Unknown option: '--everything'\nUsage: offload cleanup"), output);
    }
}
