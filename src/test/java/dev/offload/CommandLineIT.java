package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServiceProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar's help and usage errors with neither a database nor a broker to reach: they print
 * only the usage (no log line) and exit without starting the application.
 */
class CommandLineIT {

    /** The dev profile (no key to configure) with addresses where nothing listens: starting the application fails. */
    private static final Map<String, String> NOTHING_REACHABLE = Map.of("quarkus.profile", "dev",
            "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/none",
            "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/none",
            "rabbitmq-port", "1");

    private static ServiceProcess.Exit run(String... args) throws Exception {
        return ServiceProcess.runToExit(NOTHING_REACHABLE, Map.of(), args);
    }

    @Test
    void shouldPrintOnlyTheUsageForHelpWithoutTheDatabaseOrTheBroker() throws Exception {
        for (String help : new String[] {"help", "--help"}) {
            ServiceProcess.Exit exit = run(help);
            assertEquals(0, exit.status(), exit.output());
            assertTrue(exit.output().startsWith("Usage: offload [-h] COMMAND\n"), exit.output());
            assertTrue(exit.output().contains("\n  gather-stats "), exit.output());
        }
        ServiceProcess.Exit cleanup = run("cleanup", "--help");
        assertEquals(0, cleanup.status(), cleanup.output());
        assertTrue(cleanup.output().startsWith("Usage: offload cleanup [-h] [--archives-older-than=AGE]\n"),
                cleanup.output());
    }

    @Test
    void shouldExitWithTwoForAUsageErrorWithoutTheDatabaseOrTheBroker() throws Exception {
        ServiceProcess.Exit exit = run("gather-stats", "--timeout", "soon");
        assertEquals(2, exit.status(), exit.output());
        assertTrue(exit.output().startsWith("Invalid value for option '--timeout': 'soon' is not a positive duration"),
                exit.output());
        assertTrue(exit.output().contains("\nUsage: offload gather-stats"), exit.output());
    }

    @Test
    void shouldSayWhyACommandCouldNotStart() throws Exception {
        ServiceProcess.Exit exit = run("cleanup");
        assertEquals(1, exit.status(), exit.output());
        assertTrue(exit.output().contains("cleanup: Connection refused"), exit.output());
    }
}
